// The Azure clouds, in one table: where to sign in, where Resource Manager is, which token scope
// and which GitHub OIDC audience each uses. arm-endpoint and authority-host override only the
// URLs; an explicit audience overrides the table's.

export interface Cloud {
  name: string
  authorityHost: string
  armEndpoint: string
  /** The token scope: Resource Manager's audience + /.default. */
  scope: string
  oidcAudience: string
  /** The Azure portal, for links in the job summary. */
  portal: string
}

export const CLOUDS = {
  AzureCloud: {
    name: 'AzureCloud',
    authorityHost: 'https://login.microsoftonline.com',
    armEndpoint: 'https://management.azure.com',
    scope: 'https://management.azure.com/.default',
    oidcAudience: 'api://AzureADTokenExchange',
    portal: 'https://portal.azure.com'
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    authorityHost: 'https://login.microsoftonline.us',
    armEndpoint: 'https://management.usgovcloudapi.net',
    scope: 'https://management.usgovcloudapi.net/.default',
    oidcAudience: 'api://AzureADTokenExchangeUSGov',
    portal: 'https://portal.azure.us'
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    authorityHost: 'https://login.chinacloudapi.cn',
    armEndpoint: 'https://management.chinacloudapi.cn',
    scope: 'https://management.chinacloudapi.cn/.default',
    oidcAudience: 'api://AzureADTokenExchangeChina',
    portal: 'https://portal.azure.cn'
  }
} as const satisfies Record<string, Cloud>

export type CloudName = keyof typeof CLOUDS
export const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[]

/** Microsoft's own authorities, which MSAL's instance discovery knows. */
export const KNOWN_AUTHORITIES: readonly string[] = CLOUD_NAMES.map((n) => CLOUDS[n].authorityHost)
