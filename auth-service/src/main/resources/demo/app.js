// The demo single-page app: authorization code + PKCE (S256) as the public client web-app. The access token lives
// only in this variable; the refresh token is an httpOnly cookie this script never sees (browser mode). Both are
// bound to a DPoP key (RFC 9449) that WebCrypto made non-extractable: a stolen token is of no use without the key,
// and script cannot read the key out, only use it while the page runs.
'use strict';
let accessToken = null;
let dpopKey = null;
const nonces = {};
let idToken = null;
let config = null;
const redirectUri = location.origin + '/demo/';
const $ = (id) => document.getElementById(id);

function b64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function random() { return b64url(crypto.getRandomValues(new Uint8Array(32))); }
async function challenge(verifier) {
  return b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}
// ---- DPoP: one ECDSA P-256 key pair per sign-in, kept in IndexedDB (a CryptoKey survives there unextractable) ----
function keyStore(mode, action) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('authsuite-demo', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('keys');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = action(open.result.transaction('keys', mode).objectStore('keys'));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    };
  });
}
async function newDpopKey() {
  dpopKey = await crypto.subtle.generateKey({name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign', 'verify']);
  await keyStore('readwrite', (store) => store.put(dpopKey, 'dpop'));
}
async function loadDpopKey() {
  dpopKey = await keyStore('readonly', (store) => store.get('dpop'));
  if (!dpopKey) await newDpopKey();
}
const utf8 = (text) => new TextEncoder().encode(text);
// The public key's required JWK members (RFC 7638 §3.2), in lexicographic order.
async function publicJwk() {
  const {crv, kty, x, y} = await crypto.subtle.exportKey('jwk', dpopKey.publicKey);
  return {crv, kty, x, y};
}
// The key's JWK SHA-256 thumbprint (RFC 7638: the required members in lexicographic order, no whitespace).
async function dpopThumbprint() {
  return b64url(await crypto.subtle.digest('SHA-256', utf8(JSON.stringify(await publicJwk()))));
}
async function dpopProof(method, url, token) {
  const header = {typ: 'dpop+jwt', alg: 'ES256', jwk: await publicJwk()};
  const target = new URL(url);
  const claims = {jti: random(), htm: method, htu: target.origin + target.pathname, iat: Math.floor(Date.now() / 1000)};
  if (nonces[target.origin]) claims.nonce = nonces[target.origin];
  if (token) claims.ath = b64url(await crypto.subtle.digest('SHA-256', utf8(token)));
  const input = b64url(utf8(JSON.stringify(header))) + '.' + b64url(utf8(JSON.stringify(claims)));
  // WebCrypto's ECDSA signature is r || s, the JWS form of ES256 (RFC 7518 §3.4).
  const signature = await crypto.subtle.sign({name: 'ECDSA', hash: 'SHA-256'}, dpopKey.privateKey, utf8(input));
  return input + '.' + b64url(signature);
}
// Sends a request with a fresh proof; once more with the server's nonce when it asks for one (RFC 9449 §8, §9).
async function withDpop(url, init, token) {
  const origin = new URL(url, location.href).origin;
  for (let attempt = 0; ; attempt++) {
    const headers = {...init.headers, DPoP: await dpopProof(init.method || 'GET', new URL(url, location.href).href, token)};
    if (token) headers.Authorization = 'DPoP ' + token;
    const response = await fetch(url, {...init, headers});
    if (response.headers.get('DPoP-Nonce')) nonces[origin] = response.headers.get('DPoP-Nonce');
    const askedForNonce = response.status === 400 || response.status === 401
      ? (response.headers.get('WWW-Authenticate') || '').includes('use_dpop_nonce')
        || (response.status === 400 && (await response.clone().json().catch(() => ({}))).error === 'use_dpop_nonce')
      : false;
    if (attempt === 0 && askedForNonce && nonces[origin]) continue;
    return response;
  }
}

function show(text) { $('result').textContent = text; }
function signedIn(yes) {
  $('order').disabled = !yes; $('refresh').disabled = !yes; $('sign-out').disabled = !yes; $('sign-in').disabled = yes;
}

async function tokenRequest(params) {
  const response = await withDpop('/oauth2/token', {
    method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/x-www-form-urlencoded', 'X-Requested-With': 'authsuite-demo'},
    body: new URLSearchParams({client_id: config.clientId, refresh_token_delivery: 'cookie', ...params})
  }, null);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error + ': ' + body.error_description);
  accessToken = body.access_token;
  $('token-type').textContent = body.token_type;
  if (body.id_token) idToken = body.id_token;
  return body;
}

async function whoAmI() {
  const response = await withDpop('/oauth2/userinfo', {}, accessToken);
  const info = await response.json();
  $('status').textContent = 'Signed in as ' + (info.preferred_username || info.sub) + '.';
  signedIn(true);
}

$('sign-in').onclick = async () => {
  await newDpopKey();
  const verifier = random();
  const state = random();
  sessionStorage.setItem('pkce', JSON.stringify({verifier, state}));
  const params = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri,
    scope: 'openid profile orders:read orders:write', state,
    code_challenge: await challenge(verifier), code_challenge_method: 'S256',
    // RFC 9449 §10: the code is bound to this key too, so a code caught on its way back is of no use without it.
    dpop_jkt: await dpopThumbprint()
  });
  location.assign('/oauth2/authorize?' + params);
};

$('order').onclick = async () => {
  const response = await withDpop(config.ordersUrl + '/orders', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({lines: [{sku: 'BOOK-001', quantity: 1}]})
  }, accessToken);
  const body = await response.json();
  show(response.ok ? 'Order ' + body.id + ' ' + body.status + '.' : 'Order failed: ' + (body.detail || response.status));
};

$('refresh').onclick = async () => {
  try {
    await tokenRequest({grant_type: 'refresh_token'});
    show('Access token refreshed.');
  } catch (e) { show('Refresh failed: ' + e.message); }
};

$('sign-out').onclick = () => {
  const params = new URLSearchParams({client_id: config.clientId, post_logout_redirect_uri: redirectUri});
  if (idToken) params.set('id_token_hint', idToken);
  location.assign('/oauth2/logout?' + params);
};

(async () => {
  config = await (await fetch('/demo/config.json')).json();
  await loadDpopKey();
  $('sign-in').disabled = false;
  const query = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem('pkce') || 'null');
  history.replaceState(null, '', redirectUri);
  if (query.has('error')) { show('Sign-in failed: ' + query.get('error')); return; }
  if (query.has('code') && saved && query.get('state') === saved.state) {
    sessionStorage.removeItem('pkce');
    try {
      await tokenRequest({grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri,
        code_verifier: saved.verifier});
      await whoAmI();
    } catch (e) { show('Sign-in failed: ' + e.message); }
  }
})();
