// Jest in ESM mode: the @actions packages are ESM-only. The test script sets
// NODE_OPTIONS=--experimental-vm-modules and NODE_EXTRA_CA_CERTS (the emulator's CA) on
// its own command line, because Node reads both only at start-up.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 30000,
  collectCoverageFrom: ['src/**/*.ts']
}
