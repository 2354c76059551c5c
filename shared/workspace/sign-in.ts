/** How people sign in to the workspace. SCIM requires SAML to be the only enabled method. */
export interface SamlProvider {
  acsUrl: string;
  entityId: string;
  providerToken: string;
}

export interface SignInSettings {
  password: boolean;
  google: boolean;
  slack: boolean;
  office365: boolean;
  saml: boolean;
  samlProviders: SamlProvider[];
}

export const SIGN_IN_METHODS = ['password', 'google', 'slack', 'office365', 'saml'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

export function enabledSignInMethods(settings: SignInSettings): SignInMethod[] {
  return SIGN_IN_METHODS.filter((method) => settings[method]);
}

export function isSamlOnly(settings: SignInSettings): boolean {
  const enabled = enabledSignInMethods(settings);
  return enabled.length === 1 && enabled[0] === 'saml';
}

/** Settings with SAML as the sole sign-in method, through this provider: what SCIM requires. */
export function samlOnlySignIn(provider: SamlProvider): SignInSettings {
  return {
    password: false,
    google: false,
    slack: false,
    office365: false,
    saml: true,
    samlProviders: [provider],
  };
}
