// How the action compares what Azure holds with what the inputs ask for, and what a PATCH sends.
// Bodies are shaped as the live service answers (explicit nulls; see docs/backend-contract.md "Real
// traffic").
import { describe, expect, it } from '@jest/globals'
import { diff, meaning } from '../../src/operations/shared/diff.js'
import type { Snapshot } from '../../src/operations/shared/context.js'
import { holds, planPatch } from '../../src/operations/shared/writes.js'

const snapshotOf = (properties: Record<string, unknown>): Snapshot => ({
  backend: { id: '/x/backends/orders', name: 'orders', properties },
  etag: '"AAAAAAAACSU="'
})

describe('null is absent, and a default is absent', () => {
  it('a Single backend created without a title answers "title": null: nothing to change', () => {
    // azure-sdk-for-js recording_backend_create_test1.json: the create's answer.
    const answered = {
      title: null,
      description: 'Service Fabric Test App 1',
      url: 'https://backendname26441',
      protocol: 'http'
    }
    const asked = {
      description: 'Service Fabric Test App 1',
      url: 'https://backendname26441',
      protocol: 'http'
    }
    expect(diff(answered, asked)).toEqual([])
  })

  it('a Pool answers title, url and protocol null: nothing to change', () => {
    const pool = { services: [{ id: '/subscriptions/s/…/backends/a', priority: 1, weight: 50 }] }
    const answered = {
      title: null,
      description: null,
      url: null,
      protocol: null,
      type: 'Pool',
      pool,
      credentials: null,
      proxy: null,
      tls: null
    }
    expect(diff(answered, { type: 'Pool', pool })).toEqual([])
  })

  it('type Single and tls validation left on are what the service means by leaving them out', () => {
    const answered = {
      url: 'https://a.example',
      protocol: 'http',
      type: 'Single',
      tls: { validateCertificateChain: true, validateCertificateName: true }
    }
    expect(diff(answered, { url: 'https://a.example', protocol: 'http' })).toEqual([])
  })

  it('a real change is still a change, and a value set to null is a removal', () => {
    expect(diff({ title: 'old', url: null }, { title: 'new' })).toEqual([
      { path: 'properties.title', old: 'old', new: 'new', secret: false }
    ])
    expect(diff({ title: 'old' }, { title: null })).toEqual([
      { path: 'properties.title', old: 'old', new: undefined, secret: false }
    ])
    expect(diff({ tls: { validateCertificateChain: false } }, {})).toHaveLength(1)
  })

  it('an empty list is no list; other lists keep order, length and the nulls inside them', () => {
    expect(diff({ credentials: { certificate: [], header: {} } }, {})).toEqual([])
    expect(meaning({ a: [null, { b: null, c: 1 }], d: null })).toEqual({ a: [null, { c: 1 }] })
    expect(diff({ x: [1, 2] }, { x: [2, 1] })).toHaveLength(1)
  })
})

describe('an update sends each property it touches whole', () => {
  const current = snapshotOf({
    title: null,
    url: 'https://orders.example',
    protocol: 'http',
    credentials: {
      header: { 'x-a': ['a-value'] },
      query: { code: ['q-value'] },
      authorization: null,
      certificate: [],
      certificateIds: null
    },
    proxy: null
  })

  it('one new header: the body carries every header and the query, and one change is reported', () => {
    const plan = planPatch(current, { credentials: { header: { 'x-b': ['b-value'] } } })
    expect(plan.body).toEqual({
      credentials: {
        header: { 'x-a': ['a-value'], 'x-b': ['b-value'] },
        query: { code: ['q-value'] },
        certificate: []
      }
    })
    expect(plan.changes.map((c) => c.path)).toEqual(['properties.credentials.header.x-b'])
  })

  it('a scalar is sent alone; fields not given are not sent', () => {
    const plan = planPatch(current, { title: 'Orders' })
    expect(plan.body).toEqual({ title: 'Orders' })
    expect(plan.changes).toEqual([
      { path: 'properties.title', old: undefined, new: 'Orders', secret: false }
    ])
  })

  it('holds() after the PATCH is the same whether the service merged or replaced', () => {
    const plan = planPatch(current, { credentials: { header: { 'x-b': ['b-value'] } } })
    const now = current.backend.properties ?? {}
    const replaced = { ...now, ...plan.body }
    expect(holds(snapshotOf(replaced).backend, plan.body, false)).toBe(true)
    // A service that dropped x-a (a PATCH of the changed leaf alone, on a replacing service) does
    // not hold.
    const lost = {
      ...now,
      credentials: { header: { 'x-b': ['b-value'] }, query: { code: ['q-value'] } }
    }
    expect(holds(snapshotOf(lost).backend, plan.body, false)).toBe(false)
  })
})
