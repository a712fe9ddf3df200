import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

// A real OpenID provider (oidc-provider) on loopback for the tests, with a custom interaction that
// signs in whichever test account `loginAs` names, as the provider's own login page would.

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  [claim: string]: unknown;
}

export interface TestProvider {
  /** The issuer the provider presents itself as. */
  issuer: string;
  /** Where it listens (differs from the issuer for the wrong-issuer test). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** The account the next interaction signs in; null makes the reader refuse (access_denied). */
  loginAs: TestAccount | null;
  close(): Promise<void>;
}

export async function startTestProvider(options: { redirectUris: string[]; issuerHost?: string }): Promise<TestProvider> {
  let handler: http.RequestListener = (_req, res) => void res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${options.issuerHost ?? '127.0.0.1'}:${port}`;
  const state: TestProvider = {
    issuer,
    url: `http://127.0.0.1:${port}`,
    clientId: 'parley-test-client',
    clientSecret: 'parley-test-client-secret-0123456789abcdef',
    loginAs: null,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const accounts = new Map<string, TestAccount>();
  const signing = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(signing.privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' }] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    clients: [
      {
        client_id: state.clientId,
        client_secret: state.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'parley_role'] },
    scopes: ['openid', 'email', 'profile'],
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...account }) };
    },
  });
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error', error));
  const callback = provider.callback();
  handler = async (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      try {
        const details = await provider.interactionDetails(req, res);
        const account = state.loginAs;
        if (!account) {
          await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The reader said no.' }, { mergeWithLastSubmission: false });
          return;
        }
        accounts.set(account.sub, account);
        const grant = new provider.Grant({ accountId: account.sub, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope));
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: account.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
      return;
    }
    callback(req, res);
  };
  return state;
}
