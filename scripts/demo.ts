// npm run demo: the action's main job end to end, no Azure account. Starts the emulator,
// runs the bundled dist/index.js exactly as the runner does (INPUT_* variables, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY), creates a backend with credentials and a proxy, resets it with
// time-until-reset: 30, and prints the log, the outputs and the job summary of each step.
import { existsSync } from 'node:fs'
import { ensureCertificate } from '../emulator/cert.js'
import { optionsFromEnv } from '../emulator/env-config.js'
import { ApimEmulator } from '../emulator/server.js'
import { maskedValues, type Outcome } from './outcome.js'
import { emulatorInputs, runDist } from './runner.js'

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

function show(title: string, inputs: Record<string, string>, outcome: Outcome): void {
  console.log(`\n${bold(`=== ${title} ===`)}`)
  console.log(bold('with:'))
  for (const [k, v] of Object.entries(inputs)) {
    const shown = ['client-secret'].includes(k) ? '${{ secrets.AZURE_CLIENT_SECRET }}' : v
    console.log(
      `  ${k}: ${shown.includes('\n') ? `|\n    ${shown.split('\n').join('\n    ')}` : shown}`
    )
  }
  console.log(bold('log:'))
  // The runner hides ::add-mask:: lines and masks those values; show what a user would see.
  const masks = maskedValues(outcome.stdout)
  const log = outcome.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('::add-mask::'))
    .map((l) => masks.reduce((line, m) => line.split(m).join('***'), l))
  console.log(`  ${log.join('\n  ')}`)
  console.log(`  (${masks.length} values masked with ::add-mask::)`)
  console.log(bold('outputs:'))
  for (const [k, v] of Object.entries(outcome.outputs)) {
    console.log(
      `  ${k}: ${k === 'backend' ? JSON.stringify(JSON.parse(v), null, 2).split('\n').join('\n  ') : v}`
    )
  }
  console.log(bold('job summary (markdown/HTML as GitHub renders it):'))
  console.log(`  ${outcome.summary.trim().split('\n').join('\n  ')}`)
}

async function main(): Promise<number> {
  if (!existsSync('dist/index.js')) {
    console.error('dist/index.js is missing; run npm run bundle first.')
    return 1
  }
  await ensureCertificate('.emulator')
  // APIM_EMULATOR_LATENCY_MS, APIM_EMULATOR_THROTTLE and APIM_EMULATOR_FAULTS (a JSON list)
  // inject faults into the demo, e.g. APIM_EMULATOR_FAULTS='[{"method":"PUT","status":429,
  // "headers":{"Retry-After":"1"}}]' npm run demo
  const { faults, ...fromEnv } = optionsFromEnv(process.env)
  const emulator = await ApimEmulator.start({ certDir: '.emulator', ...fromEnv })
  for (const fault of faults ?? []) emulator.injectFault(fault)
  console.log(
    `APIM emulator on ${emulator.url} (ARM + Entra ID + GitHub OIDC), certificate ${emulator.certPath}`
  )
  try {
    const { target, signIn } = emulatorInputs(emulator)
    const createInputs = {
      operation: 'create',
      ...target,
      'backend-id': 'orders-api',
      url: 'https://orders.internal.example.com/api',
      protocol: 'http',
      title: 'Orders API',
      'backend-credentials':
        'authorization:\n  scheme: Basic\n  parameter: b3JkZXJzOnMzY3JldA==\nheader:\n  x-api-key: demo-api-key-123',
      proxy:
        'url: http://proxy.internal.example.com:3128\nusername: svc-apim\npassword: demo-proxy-password',
      ...signIn
    }
    const created = await runDist(createInputs, {}, emulator.certPath)
    show('step 1: operation: create', createInputs, created)
    if (created.failure) return 1

    const resetInputs = {
      operation: 'reset',
      backend: created.outputs.backend,
      'time-until-reset': '30',
      ...signIn
    }
    const reset = await runDist(resetInputs, {}, emulator.certPath)
    show(
      'step 2: operation: reset (backend: ${{ steps.create.outputs.backend }})',
      resetInputs,
      reset
    )
    if (reset.failure) return 1

    console.log(`\n${bold('requests the emulator received:')}`)
    for (const r of emulator.requests) console.log(`  ${r.method} ${r.path} -> ${r.status}`)
    return 0
  } finally {
    await emulator.stop()
  }
}

process.exitCode = await main()
