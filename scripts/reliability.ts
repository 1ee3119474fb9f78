// npm run test:reliability: every fault scenario of scripts/reliability-scenarios.ts against
// the emulator, printed as a table: scenario, faults injected, requests sent, outcome, final
// state correct, secrets leaked. Exits non-zero when any row does not hold.
import { ApimEmulator } from '../emulator/server.js'
import { runScenario, SCENARIOS, table, type Row } from './reliability-scenarios.js'

// The action writes its log to stdout; keep it out of the table.
const write = process.stdout.write.bind(process.stdout)

const emulator = await ApimEmulator.start()
const rows: Row[] = []
try {
  for (const scenario of SCENARIOS) rows.push((await runScenario(scenario, emulator)).row)
} finally {
  await emulator.stop()
}
const bad = rows.filter((r) => !r.asExpected || !r.stateCorrect || r.leaks > 0)
const caught = SCENARIOS.filter(
  (s, i) => s.concurrentChange && rows[i].asExpected && rows[i].stateCorrect
).length
write(`\n${table(rows)}\n\n`)
write(
  `${rows.length} scenarios, ${rows.length - bad.length} held; faults survived: ${rows.filter((r) => r.asExpected && r.outcome.startsWith('ok')).length}; ` +
    `concurrent changes caught: ${caught}; secrets leaked: ${rows.reduce((n, r) => n + r.leaks, 0)}.\n`
)
for (const r of bad) write(`✗ ${r.scenario}: ${r.failure ?? r.outcome}\n`)
process.exitCode = bad.length > 0 ? 1 : 0
