// A real OpenID Connect provider for the single sign-on journeys
// (tests/e2e/test_sso_journey.py): the `oidc-provider` npm package on 127.0.0.1, with
// one confidential client that must use PKCE, and its development log-in pages (any
// login and password are accepted: the login becomes the subject).
//
// node oidc_provider.mjs PORT REDIRECT_URI [REDIRECT_URI ...]
//
// OIDC_TAMPER=state sends the browser back with another `state` than Rapport's;
// OIDC_TAMPER=nonce puts another `nonce` in the ID token than the one Rapport asked for
// (what a mix-up or an injected response looks like to Rapport).
import { Provider } from 'oidc-provider'

const [port, ...redirectUris] = process.argv.slice(2)
const issuer = `http://127.0.0.1:${port}`

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'rapport',
    client_secret: 'rapport-test-secret',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic'
  }],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username']
  },
  async findAccount (ctx, id) {
    return {
      accountId: id,
      async claims () {
        return {
          sub: id,
          email: `${id}@idp.example`,
          email_verified: true,
          preferred_username: id,
          name: `${id[0].toUpperCase()}${id.slice(1)} Example`
        }
      }
    }
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['rapport-tests-only-cookie-key'] }
})
provider.proxy = false

const tamper = process.env.OIDC_TAMPER || ''
provider.use(async (ctx, next) => {
  if (tamper === 'nonce' && ctx.path === '/auth' && ctx.query.nonce) {
    ctx.querystring = new URLSearchParams({ ...ctx.query, nonce: 'forged-nonce' }).toString()
  }
  await next()
  const location = ctx.response.get('Location')
  if (tamper === 'state' && location && location.includes('/login/callback/')) {
    const url = new URL(location)
    url.searchParams.set('state', 'forged-state')
    ctx.redirect(url.toString())
  }
})

const server = provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`READY ${issuer}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
