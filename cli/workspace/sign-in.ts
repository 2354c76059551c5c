/** `roster workspace signin show|set` */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { SIGN_IN_METHODS } from '../../shared/workspace/sign-in';
import type { SignInMethod, SignInSettings } from '../../shared/workspace/sign-in';
import type { AuditChange } from '../../shared/audit/audit-entry';
import { workspaceAction } from './action';
import type { CliIo } from './cli-io';

function onOff(value: string): boolean {
  if (value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  throw new InvalidArgumentError('expected on or off');
}

function describe(settings: SignInSettings): string[] {
  return [
    ...SIGN_IN_METHODS.map((method) => `${method.padEnd(10)}${settings[method] ? 'on' : 'off'}`),
    ...settings.samlProviders.map(
      (provider) => `saml provider  entityId=${provider.entityId} acsUrl=${provider.acsUrl}`,
    ),
  ];
}

type SetOptions = Partial<Record<SignInMethod, boolean>> & {
  samlAcsUrl?: string;
  samlEntityId?: string;
  samlProviderToken?: string;
};

export function registerSignInCommands(workspace: Command, io: CliIo): void {
  const signIn = workspace.command('signin').description('sign-in methods of the built-in workspace');

  signIn
    .command('show')
    .description('show the sign-in methods')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print }) => {
        const settings = await admin.signIn();
        print(settings, () => describe(settings));
      }),
    );

  const set = signIn
    .command('set')
    .description('turn sign-in methods on or off; the last one cannot be turned off');
  for (const method of SIGN_IN_METHODS) set.option(`--${method} <on|off>`, `${method} sign-in`, onOff);
  set
    .option('--saml-acs-url <url>', 'SAML provider ACS URL (replaces the SAML provider)')
    .option('--saml-entity-id <id>', 'SAML provider entity id')
    .option('--saml-provider-token <token>', 'SAML provider token')
    .option('--json', 'print JSON')
    .action(
      workspaceAction(io, async ({ admin, print, note }, options: SetOptions) => {
        const before = await admin.signIn();
        const change: Partial<SignInSettings> = {};
        for (const method of SIGN_IN_METHODS) {
          const value = options[method];
          if (value !== undefined) change[method] = value;
        }
        if (options.samlAcsUrl || options.samlEntityId || options.samlProviderToken) {
          change.samlProviders = [
            {
              acsUrl: options.samlAcsUrl ?? '',
              entityId: options.samlEntityId ?? '',
              providerToken: options.samlProviderToken ?? '',
            },
          ];
        }
        const settings = await admin.setSignIn(change);
        note({
          action: 'updated',
          object: { kind: 'SignIn', id: 'sign-in' },
          changes: signInChanges(before, settings),
        });
        print(settings, () => describe(settings));
      }),
    );
}

/** The methods and the SAML providers' URLs and entity ids: never a provider's token. */
function signInChanges(before: SignInSettings, after: SignInSettings): AuditChange[] {
  const changes: AuditChange[] = SIGN_IN_METHODS.filter((method) => before[method] !== after[method]).map(
    (method) => ({ attribute: method, before: before[method], after: after[method] }),
  );
  const providers = (settings: SignInSettings) =>
    settings.samlProviders.map(({ acsUrl, entityId }) => ({ acsUrl, entityId }));
  if (JSON.stringify(before.samlProviders) !== JSON.stringify(after.samlProviders))
    changes.push({ attribute: 'samlProviders', before: providers(before), after: providers(after) });
  return changes;
}
