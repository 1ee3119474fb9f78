// The files the runner gives the step (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) cannot always be
// written: a self-hosted runner's disk is full, a wrapper script points them at a directory. The
// backend is written by then, so the step fails with one line saying what Azure already has and
// which file could not be written.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runInProcess } from '../../scripts/run-in-process.js'
import { ApimEmulator, RG, SERVICE, SUB, TARGET, secretSignIn } from '../helpers/scenario.js'
import { useEmulator } from '../helpers/use-emulator.js'

const emu = useEmulator()
let emulator: ApimEmulator
beforeEach(() => {
  emulator = emu()
})

/** A directory where the runner's file should be: every write to it fails with EISDIR. */
const aDirectory = () => mkdtempSync(join(tmpdir(), 'runner-file-'))

const orders = {
  operation: 'create',
  ...TARGET,
  'backend-id': 'orders',
  url: 'https://orders.example.com/api',
  protocol: 'http'
}

describe('GITHUB_OUTPUT cannot be written', () => {
  it('create: says the backend was created, and which file could not take the outputs', async () => {
    const dir = aDirectory()
    const outcome = await runInProcess(
      { ...orders, ...secretSignIn(emulator) },
      { GITHUB_OUTPUT: dir }
    )
    expect(outcome.failure).toBe(
      `Backend 'orders' was created (PUT /backends/orders → 201); the outputs could not be written to GITHUB_OUTPUT (${dir}): EISDIR: illegal operation on a directory, open '${dir}'`
    )
    expect(emulator.getBackend(SUB, RG, SERVICE, 'orders')).toBeDefined()
    // The job summary still tells the reviewer the step failed.
    expect(outcome.summary).toContain('APIM backend create: failed')
  })

  it('many backends: says how many were worked on and with what result', async () => {
    const dir = aDirectory()
    const outcome = await runInProcess(
      {
        operation: 'create',
        ...TARGET,
        ...secretSignIn(emulator),
        protocol: 'http',
        backends:
          '[{backend-id: a, url: "https://a.example.com"}, {backend-id: b, url: "https://b.example.com"}]'
      },
      { GITHUB_OUTPUT: dir }
    )
    expect(outcome.failure).toMatch(
      /^2 backends were worked on \(created: 2; PUT \/backends\/[ab] → 201, PUT \/backends\/[ab] → 201\); the outputs could not be written to GITHUB_OUTPUT \(/
    )
  })
})

describe('GITHUB_STEP_SUMMARY cannot be written', () => {
  it('get: the outputs are set, and the step fails naming the summary file', async () => {
    emulator.putBackend(SUB, RG, SERVICE, 'orders', {
      url: 'https://o.example.com',
      protocol: 'http'
    })
    const dir = aDirectory()
    const outcome = await runInProcess(
      { ...TARGET, ...secretSignIn(emulator), operation: 'get', 'backend-id': 'orders' },
      { GITHUB_STEP_SUMMARY: dir }
    )
    expect(outcome.outputs.result).toBe('found')
    expect(outcome.failure).toBe(
      `Nothing was written to Azure; the job summary could not be written to GITHUB_STEP_SUMMARY (${dir}): EISDIR: illegal operation on a directory, open '${dir}'`
    )
  })
})
