// The demo single-page app: authorization code + PKCE (S256) as the public client web-app. The access token lives
// only in this variable; the refresh token is an httpOnly cookie this script never sees (browser mode).
'use strict';
let accessToken = null;
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
function show(text) { $('result').textContent = text; }
function signedIn(yes) {
  $('order').disabled = !yes; $('refresh').disabled = !yes; $('sign-out').disabled = !yes; $('sign-in').disabled = yes;
}

async function tokenRequest(params) {
  const response = await fetch('/oauth2/token', {
    method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/x-www-form-urlencoded', 'X-Requested-With': 'authsuite-demo'},
    body: new URLSearchParams({client_id: config.clientId, refresh_token_delivery: 'cookie', ...params})
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error + ': ' + body.error_description);
  accessToken = body.access_token;
  if (body.id_token) idToken = body.id_token;
  return body;
}

async function whoAmI() {
  const response = await fetch('/oauth2/userinfo', {headers: {Authorization: 'Bearer ' + accessToken}});
  const info = await response.json();
  $('status').textContent = 'Signed in as ' + (info.preferred_username || info.sub) + '.';
  signedIn(true);
}

$('sign-in').onclick = async () => {
  const verifier = random();
  const state = random();
  sessionStorage.setItem('pkce', JSON.stringify({verifier, state}));
  const params = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri,
    scope: 'openid profile orders:read orders:write', state,
    code_challenge: await challenge(verifier), code_challenge_method: 'S256'
  });
  location.assign('/oauth2/authorize?' + params);
};

$('order').onclick = async () => {
  const response = await fetch(config.ordersUrl + '/orders', {
    method: 'POST',
    headers: {Authorization: 'Bearer ' + accessToken, 'Content-Type': 'application/json'},
    body: JSON.stringify({lines: [{sku: 'BOOK-001', quantity: 1}]})
  });
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
