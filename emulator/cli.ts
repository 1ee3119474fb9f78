// Command line for the emulator:
//   tsx emulator/cli.ts cert [dir]                    writes the certificate, prints its path
//   tsx emulator/cli.ts start [--port N] [--cert-dir D]  serves until SIGINT/SIGTERM
// `start` prints one JSON line on stdout (URL, names and the env a client needs) so a script
// can read it; the human-readable notice goes to stderr. `start` also applies
// APIM_EMULATOR_LATENCY_MS, APIM_EMULATOR_THROTTLE, APIM_EMULATOR_FAULTS,
// APIM_EMULATOR_HEALTH, APIM_EMULATOR_WORKSPACES and APIM_EMULATOR_WORKSPACE_ONLY
// (env-config.ts).
import { ensureCertificate } from './cert.js'
import { optionsFromEnv } from './env-config.js'
import { ApimEmulator } from './server.js'

const USAGE = `Usage:
  tsx emulator/cli.ts cert [dir]
  tsx emulator/cli.ts start [--port N] [--cert-dir DIR]`

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args
  if (command === 'cert') {
    const { certPath } = await ensureCertificate(rest[0] ?? '.emulator')
    process.stdout.write(`${certPath}\n`)
    return 0
  }
  if (command === 'start') {
    const { faults, ...fromEnv } = optionsFromEnv(process.env)
    const options = { ...fromEnv, ...parseStartOptions(rest) }
    const emulator = await ApimEmulator.start(options)
    for (const fault of faults ?? []) emulator.injectFault(fault)
    const client = emulator.clientEnv()
    const service = emulator.getServices()[0]
    process.stdout.write(
      `${JSON.stringify({
        url: emulator.url,
        tenantId: emulator.tenantId,
        subscriptionId: service.subscriptionId,
        resourceGroup: service.resourceGroup,
        serviceName: service.serviceName,
        workspaces: (service.workspaces ?? []).map((w) => (typeof w === 'string' ? w : w.id)),
        certPath: emulator.certPath,
        env: client
      })}\n`
    )
    process.stderr.write(`APIM emulator listening on ${emulator.url} (Ctrl+C to stop)\n`)
    // The inputs that point the action at it, as the runner passes them (INPUT_<NAME>, hyphens
    // kept): lines for .env (npm run local-action) or `env … node dist/index.js` (docs/emulator.md).
    const inputs = {
      'INPUT_ARM-ENDPOINT': emulator.url,
      'INPUT_AUTHORITY-HOST': client.AZURE_AUTHORITY_HOST,
      'INPUT_TENANT-ID': client.AZURE_TENANT_ID,
      'INPUT_CLIENT-ID': client.AZURE_CLIENT_ID,
      'INPUT_CLIENT-SECRET': client.AZURE_CLIENT_SECRET ?? '',
      'INPUT_SUBSCRIPTION-ID': service.subscriptionId,
      'INPUT_RESOURCE-GROUP': service.resourceGroup,
      'INPUT_SERVICE-NAME': service.serviceName
    }
    process.stderr.write(
      `Inputs for the action (a test secret, not Azure's), and NODE_EXTRA_CA_CERTS=${emulator.certPath}:\n` +
        Object.entries(inputs)
          .map(([name, value]) => `  ${name}=${value}\n`)
          .join('')
    )
    const settings = [
      options.latencyMs ? `latency ${options.latencyMs} ms` : '',
      options.throttle ? 'ARM throttling on' : '',
      faults?.length ? `${faults.length} injected fault(s)` : '',
      options.workspaces
        ? `workspaces [${emulator
            .getWorkspaces(service.subscriptionId, service.resourceGroup, service.serviceName)
            .map((w) => w.id)
            .join(', ')}]`
        : '',
      options.workspaceOnly
        ? `role granted on workspace '${String(options.workspaceOnly)}' only`
        : '',
      options.health
        ? `health endpoints ${Object.keys(options.health)
            .map((name) => emulator.healthUrl(name))
            .join(', ')}`
        : ''
    ].filter(Boolean)
    if (settings.length) process.stderr.write(`From the environment: ${settings.join(', ')}\n`)
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await emulator.stop()
    return 0
  }
  process.stderr.write(`${USAGE}\n`)
  return command === undefined || command === '--help' ? 0 : 2
}

function parseStartOptions(args: string[]): { port?: number; certDir?: string } {
  const options: { port?: number; certDir?: string } = {}
  for (let i = 0; i < args.length; i += 1) {
    const [flag, inline] = args[i].split('=', 2)
    const value = inline ?? args[++i]
    if (flag === '--port') {
      const port = Number(value)
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`Invalid --port '${value}'`)
      options.port = port
    } else if (flag === '--cert-dir') {
      if (!value) throw new Error('--cert-dir needs a directory')
      options.certDir = value
    } else {
      throw new Error(`Unknown option '${args[i]}'\n${USAGE}`)
    }
  }
  return options
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  }
)
