// Validates rendered Kubernetes manifests strictly against the vendored upstream OpenAPI v3 documents of every
// supported Kubernetes version (k8s/schemas/vX.Y/...json.gz), and checks pod hardening and the suite's own rules.
//
//   node validate.mjs --schemas DIR [--production NAME]... [--single-redis NAME]... NAME=FILE...
//
// NAME=FILE: a multi-document YAML file (the output of `kubectl kustomize` for overlay NAME).
// --production NAME: overlay NAME gets the production rules too (replicas, native images, TLS Ingress, https issuer,
//   a Redis that fails over).
// --single-redis NAME: production overlay NAME runs one in-cluster Redis server on purpose (the documented variant
//   for clusters of fewer than three nodes), so the failover rule is waived for it alone.
//
// Strict means what the API server's strict field validation means: an unknown field, a value of the wrong type or
// a missing required field is an error. The upstream schemas leave objects open to unknown fields, so each object
// schema that lists its properties is closed (additionalProperties: false) when loaded: the same transformation
// kubeconform's strict mode applies; the documents themselves are used unmodified (their SHA-256 is checked
// against PROVENANCE.md). The validator itself is Ajv (JSON Schema draft-07; OpenAPI's `nullable` is supported).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import Ajv from 'ajv';
import YAML from 'yaml';

// ---------------------------------------------------------------- arguments
const args = process.argv.slice(2);
let schemasDir = null;
const production = new Set();
const singleRedis = new Set();
const inputs = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--schemas') schemasDir = args[++i];
  else if (a === '--production') production.add(args[++i]);
  else if (a === '--single-redis') singleRedis.add(args[++i]);
  else if (/^[^=]+=.+$/.test(a)) { const k = a.indexOf('='); inputs.push({ name: a.slice(0, k), file: a.slice(k + 1) }); }
  else { console.error(`validate.mjs: unexpected argument ${a}`); process.exit(2); }
}
if (!schemasDir || inputs.length === 0) {
  console.error('usage: node validate.mjs --schemas DIR [--production NAME]... [--single-redis NAME]... NAME=FILE...');
  process.exit(2);
}

// ---------------------------------------------------------------- schemas
const versions = fs.readdirSync(schemasDir).filter(d => /^v1\.\d+$/.test(d))
  .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
if (versions.length === 0) { console.error(`no vX.Y folders in ${schemasDir}`); process.exit(2); }

// SHA-256 of every vendored document, from PROVENANCE.md.
const expectedSha = new Map();
for (const m of fs.readFileSync(path.join(schemasDir, 'PROVENANCE.md'), 'utf8')
  .matchAll(/^\| `([^`]+\.json\.gz)` \|[^|]*\| `([0-9a-f]{64})` \|$/gm)) expectedSha.set(m[1], m[2]);

function docFile(apiVersion) { // "v1" -> api/v1.json.gz, "apps/v1" -> apis/apps/v1.json.gz
  return apiVersion.includes('/') ? `apis/${apiVersion}.json.gz` : `api/${apiVersion}.json.gz`;
}

// Numeric formats are checked like the API server decodes them; byte is base64; int-or-string is carried by oneOf.
const FORMATS = {
  int32: { type: 'number', validate: n => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 },
  int64: { type: 'number', validate: n => Number.isInteger(n) },
  double: { type: 'number', validate: () => true },
  float: { type: 'number', validate: () => true },
  // Go's base64 decoder (encoding/json []byte) skips line breaks, as in kustomize's output of long values.
  byte: { type: 'string', validate: s => { const b = s.replace(/[\r\n]/g, ''); return /^[A-Za-z0-9+/]*={0,2}$/.test(b) && b.length % 4 === 0; } },
  'date-time': { type: 'string', validate: s => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) },
  'int-or-string': true,
};

// Closes every object schema that lists its properties, drops the x-kubernetes-* extensions (after reading the
// group-version-kind ones) and points $refs at draft-07 definitions.
function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-') || k === 'description') continue;
    if (k === '$ref') { out.$ref = v.replace('#/components/schemas/', '#/definitions/'); continue; }
    if (k === 'properties') { out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toJsonSchema(s)])); continue; }
    out[k] = toJsonSchema(v);
  }
  if (node.properties && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

const ajv = new Ajv({
  allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false,
  validateFormats: true, formats: FORMATS, allowUnionTypes: true,
});
const loaded = new Map(); // "v1.30 apps/v1" -> { id, kinds: Map(kind -> definition name) } or null if not vendored
function groupVersion(version, apiVersion) {
  const key = `${version} ${apiVersion}`;
  if (loaded.has(key)) return loaded.get(key);
  const rel = `${version}/${docFile(apiVersion)}`;
  const file = path.join(schemasDir, rel);
  if (!fs.existsSync(file)) { loaded.set(key, null); return null; }
  const raw = zlib.gunzipSync(fs.readFileSync(file));
  const sha = crypto.createHash('sha256').update(raw).digest('hex');
  if (expectedSha.get(rel) !== sha) throw new Error(`${rel}: SHA-256 ${sha} is not the one in PROVENANCE.md`);
  const schemas = JSON.parse(raw).components.schemas;
  const kinds = new Map();
  for (const [name, s] of Object.entries(schemas)) {
    for (const gvk of s['x-kubernetes-group-version-kind'] ?? []) {
      if ((gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version) === apiVersion) kinds.set(gvk.kind, name);
    }
  }
  const id = `k8s:${version}:${apiVersion}`;
  ajv.addSchema({ $id: id, definitions: toJsonSchema(schemas) });
  const entry = { id, kinds };
  loaded.set(key, entry);
  return entry;
}

// Custom resources the suite ships (k8s/components/monitoring): their schemas are in schemas/crds, written for the
// fields the suite uses and strict, the same for every Kubernetes version.
function crdSchemaFile(apiVersion, kind) {
  return path.join(schemasDir, 'crds', `${apiVersion.replace('/', '_')}_${kind}.json`);
}

const validators = new Map();
function validatorFor(version, apiVersion, kind) { // a function, or a string saying why there is none
  const key = `${version} ${apiVersion} ${kind}`;
  if (!validators.has(key) && apiVersion.includes('.') && fs.existsSync(crdSchemaFile(apiVersion, kind))) {
    validators.set(key, ajv.compile(JSON.parse(fs.readFileSync(crdSchemaFile(apiVersion, kind), 'utf8'))));
  }
  if (!validators.has(key)) {
    const gv = groupVersion(version, apiVersion);
    if (!gv) validators.set(key, `group-version ${apiVersion} is not vendored for ${version} (scripts/vendor-k8s-schemas.sh)`);
    else if (!gv.kinds.has(kind)) validators.set(key, `Kubernetes ${version} has no kind ${kind} in ${apiVersion}`);
    else validators.set(key, ajv.getSchema(`${gv.id}#/definitions/${gv.kinds.get(kind)}`));
  }
  return validators.get(key);
}

function schemaErrors(version, obj) {
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return ['apiVersion and kind are required'];
  const v = validatorFor(version, obj.apiVersion, obj.kind);
  if (typeof v === 'string') return [v];
  const errors = [];
  if (!v(obj)) {
    for (const e of v.errors) {
      const where = e.instancePath || '/';
      if (e.keyword === 'additionalProperties') errors.push(`${where}: unknown field "${e.params.additionalProperty}"`);
      else if (e.keyword === 'required') errors.push(`${where}: missing required field "${e.params.missingProperty}"`);
      else if (e.keyword === 'oneOf' || e.keyword === 'allOf') continue; // the branch errors say more
      else errors.push(`${where}: ${e.message}`);
    }
  }
  if (!obj.metadata?.name) errors.push('/metadata: missing required field "name"');
  return [...new Set(errors)];
}

// ---------------------------------------------------------------- input
function readObjects(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1', uniqueKeys: true, prettyErrors: true });
  const objects = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`${file}: ${d.errors.map(e => e.message).join('; ')}`);
    const o = d.toJS({ maxAliasCount: 0 });
    if (o !== null && o !== undefined) objects.push(o);
  }
  return objects;
}

// ---------------------------------------------------------------- hardening and suite rules
function podSpecOf(o) {
  switch (o.kind) {
    case 'Pod': return o.spec;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': case 'ReplicationController':
      return o.spec?.template?.spec;
    case 'CronJob': return o.spec?.jobTemplate?.spec?.template?.spec;
    default: return undefined;
  }
}
const id = o => `${o.kind}/${o.metadata?.name}`;

function hardening(objects) {
  const problems = [];
  const add = (o, msg) => problems.push(`${id(o)}: ${msg}`);
  const accounts = new Map(objects.filter(o => o.kind === 'ServiceAccount').map(o => [o.metadata.name, o]));
  for (const sa of accounts.values()) {
    if (sa.automountServiceAccountToken !== false) add(sa, 'automountServiceAccountToken must be false');
  }
  let workloads = 0;
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod) continue;
    workloads++;
    const psc = pod.securityContext ?? {};
    if (pod.automountServiceAccountToken !== false) add(o, 'pod automountServiceAccountToken must be false');
    const saName = pod.serviceAccountName ?? 'default';
    if (!accounts.has(saName)) add(o, `its ServiceAccount ${saName} is not part of the manifests`);
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[f]) add(o, `${f} must not be set`);
    if (psc.runAsUser === 0) add(o, 'pod runAsUser must not be 0');
    if (psc.seccompProfile && psc.seccompProfile.type !== 'RuntimeDefault') add(o, 'pod seccompProfile must be RuntimeDefault');
    const volumes = new Map((pod.volumes ?? []).map(v => [v.name, v]));
    for (const v of volumes.values()) if (v.hostPath) add(o, `volume ${v.name}: hostPath is not allowed`);
    const all = [...(pod.initContainers ?? []).map(c => [c, true]), ...(pod.containers ?? []).map(c => [c, false])];
    for (const [c, init] of all) {
      const where = `container ${c.name}`;
      const sc = c.securityContext ?? {};
      if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) add(o, `${where}: runAsNonRoot must be true`);
      if (sc.runAsUser === 0) add(o, `${where}: runAsUser must not be 0`);
      const seccomp = sc.seccompProfile ?? psc.seccompProfile;
      if (seccomp?.type !== 'RuntimeDefault') add(o, `${where}: seccompProfile must be RuntimeDefault`);
      if (sc.allowPrivilegeEscalation !== false) add(o, `${where}: allowPrivilegeEscalation must be false`);
      if (sc.privileged) add(o, `${where}: privileged must not be set`);
      if (sc.readOnlyRootFilesystem !== true) add(o, `${where}: readOnlyRootFilesystem must be true`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) add(o, `${where}: capabilities must drop ALL`);
      if ((sc.capabilities?.add ?? []).length) add(o, `${where}: capabilities must add none`);
      const r = c.resources ?? {};
      for (const k of ['cpu', 'memory']) {
        if (r.requests?.[k] === undefined) add(o, `${where}: resources.requests.${k} is required`);
        if (r.limits?.[k] === undefined) add(o, `${where}: resources.limits.${k} is required`);
      }
      const image = String(c.image ?? '');
      const digest = image.includes('@sha256:');
      const tag = image.replace(/@.*$/, '').match(/:([^/:]+)$/)?.[1];
      if (!digest && !tag) add(o, `${where}: image ${image} must be pinned by tag or digest`);
      if (tag === 'latest') add(o, `${where}: image ${image} must not use the tag latest`);
      if (!init) {
        for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (!c[p]) add(o, `${where}: ${p} is required`);
      }
      const tmp = (c.volumeMounts ?? []).find(m => m.mountPath === '/tmp');
      if (!tmp || !volumes.get(tmp.name)?.emptyDir) add(o, `${where}: needs an emptyDir mounted at /tmp`);
    }
  }
  return { problems, workloads };
}

function suiteRules(objects, isProduction, singleRedisAllowed) {
  const problems = [];
  const byKind = k => objects.filter(o => o.kind === k);
  const deny = byKind('NetworkPolicy').find(p => p.spec?.podSelector && Object.keys(p.spec.podSelector).length === 0
    && ['Ingress', 'Egress'].every(t => p.spec.policyTypes?.includes(t)) && !p.spec.ingress?.length && !p.spec.egress?.length);
  if (!deny) problems.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');
  for (const d of byKind('Deployment')) {
    const name = d.metadata.name;
    const labels = d.spec?.template?.metadata?.labels ?? {};
    const selects = sel => sel && Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v)
      && Object.keys(sel.matchLabels ?? {}).length > 0;
    if (!byKind('Service').some(s => s.spec?.selector && Object.entries(s.spec.selector).every(([k, v]) => labels[k] === v))) {
      problems.push(`Deployment/${name}: no Service selects it`);
    }
    if (!byKind('PodDisruptionBudget').some(p => selects(p.spec?.selector))) problems.push(`Deployment/${name}: no PodDisruptionBudget`);
    const hpa = byKind('HorizontalPodAutoscaler').find(h => h.apiVersion === 'autoscaling/v2'
      && h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === name);
    if (!hpa) problems.push(`Deployment/${name}: no autoscaling/v2 HorizontalPodAutoscaler`);
    // The HPA owns the replica count: a spec.replicas here would reset the scale on every `kubectl apply`.
    if (hpa && d.spec?.replicas !== undefined) {
      problems.push(`Deployment/${name}: scaled by HorizontalPodAutoscaler/${hpa.metadata.name}, so it must not set spec.replicas`);
    }
    if (!byKind('NetworkPolicy').some(p => p !== deny && selects(p.spec?.podSelector))) {
      problems.push(`Deployment/${name}: no NetworkPolicy allows its flows`);
    }
    if (isProduction) {
      if (!hpa && (d.spec?.replicas ?? 1) < 2) problems.push(`Deployment/${name}: production needs at least 2 replicas`);
      if (hpa && (hpa.spec.minReplicas ?? 1) < 2) problems.push(`HorizontalPodAutoscaler/${name}: production needs minReplicas >= 2`);
      for (const c of d.spec?.template?.spec?.containers ?? []) {
        if (!/-native(@|$)/.test(c.image)) problems.push(`Deployment/${name}: production runs native images (tag *-native), not ${c.image}`);
      }
    }
  }
  // Sentinels without the servers they watch, or services sent to Sentinels that are not there: what an overlay
  // gets from components/external-redis beside components/redis-sentinel instead of in its place.
  const statefulSet = name => byKind('StatefulSet').some(s => s.metadata?.name === name);
  if (statefulSet('redis-sentinel') && !statefulSet('redis')) {
    problems.push('StatefulSet/redis-sentinel watches no in-cluster Redis: components/external-redis replaces components/redis-sentinel, it does not join it');
  }
  for (const cm of byKind('ConfigMap')) {
    if (/redis-sentinel-\d\.redis-sentinel/.test(cm.data?.REDIS_URL ?? '') && !statefulSet('redis-sentinel')) {
      problems.push(`ConfigMap/${cm.metadata.name}: REDIS_URL names the in-cluster Sentinels, which this overlay does not run`);
    }
  }
  for (const s of byKind('StatefulSet')) {
    if (!s.spec?.volumeClaimTemplates?.length) problems.push(`StatefulSet/${s.metadata.name}: needs volumeClaimTemplates`);
    // maxmemory-policy noeviction means nothing without a maxmemory below the limit: Redis would be OOM-killed.
    const redis = (s.spec?.template?.spec?.containers ?? []).find(c => c.name === 'redis');
    if (redis) {
      const limit = (redis.env ?? []).find(e => e.valueFrom?.resourceFieldRef?.resource === 'limits.memory');
      const started = (redis.command ?? []).join(' ');
      if (!redis.resources?.limits?.memory || !limit
          || !(started.includes(`--maxmemory "$((${limit.name} /`) || started.includes('/scripts/redis-start.sh'))) {
        problems.push(`StatefulSet/${s.metadata.name}: redis needs a memory limit and a maxmemory derived from it`);
      }
    }
  }
  if (isProduction) {
    const ingresses = byKind('Ingress');
    if (!ingresses.length) problems.push('production needs an Ingress');
    for (const i of ingresses) {
      const tlsHosts = new Set((i.spec?.tls ?? []).flatMap(t => t.hosts ?? []));
      for (const r of i.spec?.rules ?? []) if (!tlsHosts.has(r.host)) problems.push(`Ingress/${i.metadata.name}: host ${r.host} has no TLS`);
    }
    problems.push(...ingressRoutes(ingresses));
    for (const cm of byKind('ConfigMap')) {
      const issuer = cm.data?.AUTH_ISSUER;
      if (issuer !== undefined && !issuer.startsWith('https://')) problems.push(`ConfigMap/${cm.metadata.name}: AUTH_ISSUER must be https in production`);
    }
    if (!singleRedisAllowed) problems.push(...redisFailsOver(objects));
  }
  return problems;
}

// Readiness includes Redis, so a lone Redis pod that restarts (a node drain, a rollout) takes every replica of the
// three services out of the Ingress with it: production runs the in-cluster Redis as a primary, two replicas and
// three Sentinels, with the services asking the Sentinels and waiting for a replica's acknowledgement of the writes
// that must survive a failover. A Redis outside the cluster (no redis StatefulSet) is the operator's to make
// highly available.
function redisFailsOver(objects) {
  const redis = objects.find(o => o.kind === 'StatefulSet' && o.metadata?.name === 'redis');
  if (!redis) return [];
  const problems = [];
  if ((redis.spec?.replicas ?? 1) < 3) problems.push('StatefulSet/redis: production runs a primary and two replicas (replicas: 3)');
  const sentinels = objects.find(o => o.kind === 'StatefulSet' && o.metadata?.name === 'redis-sentinel');
  if (!sentinels || (sentinels.spec?.replicas ?? 1) < 3) problems.push('production needs three Redis Sentinels (StatefulSet/redis-sentinel, replicas: 3)');
  const common = objects.find(o => o.kind === 'ConfigMap' && o.data?.REDIS_URL !== undefined && /^authsuite-common/.test(o.metadata?.name ?? ''));
  if (common?.data?.QUARKUS_REDIS_CLIENT_TYPE !== 'sentinel') problems.push('ConfigMap/authsuite-common: production services find Redis through the Sentinels (QUARKUS_REDIS_CLIENT_TYPE=sentinel)');
  if (!(Number(common?.data?.REDIS_DURABLE_REPLICAS) >= 1)) problems.push('ConfigMap/authsuite-common: production waits for a replica on durable writes (REDIS_DURABLE_REPLICAS >= 1)');
  return problems;
}

// What a browser needs from auth-service: the OAuth endpoints, discovery, and the pages a person signs in,
// consents, enters a device code and logs out on, with their stylesheet (auth-service's @Path roots). Health,
// metrics and the admin APIs stay off the public Ingress.
const AUTH_PUBLIC = ['/oauth2', '/.well-known', '/login', '/consent', '/device', '/account', '/static'];
const AUTH_PRIVATE = ['/admin', '/q'];

function ingressRoutes(ingresses) {
  const problems = [];
  const routes = ingresses.flatMap(i => (i.spec?.rules ?? []).flatMap(r => (r.http?.paths ?? [])
    .map(p => ({ ingress: i.metadata.name, host: r.host, path: p.path ?? '/', type: p.pathType, service: p.backend?.service?.name }))));
  const reaches = (route, path) => route.path === path || (route.type === 'Prefix'
    && (route.path === '/' || path.startsWith(route.path.replace(/\/$/, '') + '/')));
  const auth = routes.filter(r => r.service === 'auth-service');
  if (!auth.length) return ['production Ingress routes nothing to auth-service'];
  for (const path of AUTH_PUBLIC) {
    if (!auth.some(r => reaches(r, path) || (r.type === 'Prefix' && r.path === path))) {
      problems.push(`Ingress: auth-service ${path} is not routed (a person could not sign in through the Ingress)`);
    }
  }
  for (const path of AUTH_PRIVATE) {
    const r = auth.find(r => reaches(r, path) || r.path === path);
    if (r) problems.push(`Ingress/${r.ingress}: ${r.host}${r.path} exposes auth-service ${path} publicly`);
  }
  // A service-only path under a routed prefix must be refused at the edge: by an Ingress of its own, for that very
  // path, that admits no client address (the longest path wins in ingress-nginx).
  const denies = new Set(ingresses.filter(i => ADMITS_NOBODY.has(i.metadata?.annotations?.[ALLOWLIST] ?? ''))
    .map(i => i.metadata.name));
  for (const [service, paths] of Object.entries(SERVICE_ONLY)) {
    for (const path of paths) {
      const open = routes.filter(r => r.service === service && (reaches(r, path) || r.path === path));
      const refused = open.some(r => denies.has(r.ingress) && r.path === path);
      const exposed = open.find(r => !denies.has(r.ingress));
      if (exposed && !refused) {
        problems.push(`Ingress/${exposed.ingress}: ${exposed.host}${exposed.path} exposes ${service} ${path}, which only `
          + `services call, and no Ingress refuses it (an Ingress for ${path} with ${ALLOWLIST}: "127.0.0.1/32")`);
      }
    }
  }
  return problems;
}

// Paths only other services call, inside the cluster, with service tokens.
const SERVICE_ONLY = {
  'orders-service': ['/orders/cancellations', '/q'],
  'inventory-service': ['/inventory/reservations', '/q'],
};
const ALLOWLIST = 'nginx.ingress.kubernetes.io/allowlist-source-range';
const ADMITS_NOBODY = new Set(['127.0.0.1/32', '127.0.0.1/32,::1/128']);

// ---------------------------------------------------------------- strictness self-test
// Proves on a real rendered Deployment that each kind of mistake is caught for every version, so that a change in
// the schema loading cannot silently make the validation lenient.
function selfTest(deployment) {
  const mutations = {
    'unknown field': o => { o.spec.template.spec.containers[0].imagePullPolicyy = 'Always'; },
    'wrong type': o => { o.spec.replicas = '2'; },
    'missing required field': o => { delete o.spec.template.spec.containers[0].name; },
  };
  const problems = [];
  for (const version of versions) {
    if (schemaErrors(version, deployment).length) continue; // reported already
    for (const [what, mutate] of Object.entries(mutations)) {
      const copy = structuredClone(deployment);
      mutate(copy);
      if (schemaErrors(version, copy).length === 0) problems.push(`self-test: a ${what} passed validation for ${version}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------- run
const started = Date.now();
let passed = 0;
let failed = 0;
const range = vs => (vs.length === versions.length ? 'all versions' : vs.join(', '));
let sample = null;
for (const { name, file } of inputs) {
  let objects;
  try { objects = readObjects(file); } catch (e) { console.log(`FAIL ${name}: ${e.message}`); failed++; continue; }
  console.log(`${name}: ${objects.length} objects, Kubernetes ${versions[0]}..${versions.at(-1)}`);
  for (const o of objects) {
    const found = new Map(); // error -> versions
    for (const version of versions) {
      for (const e of schemaErrors(version, o)) found.set(e, [...(found.get(e) ?? []), version]);
    }
    if (found.size === 0) { passed++; continue; }
    failed++;
    console.log(`FAIL ${name} ${id(o)}:`);
    for (const [e, vs] of found) console.log(`    ${e}  [${range(vs)}]`);
  }
  const { problems, workloads } = hardening(objects);
  const rules = suiteRules(objects, production.has(name), singleRedis.has(name));
  for (const p of [...problems, ...rules]) console.log(`FAIL ${name} ${p}`);
  if (problems.length + rules.length) failed++; else passed++;
  if (workloads === 0) { console.log(`FAIL ${name}: no workloads found`); failed++; }
  sample ??= objects.find(o => o.kind === 'Deployment');
}
if (sample) {
  const problems = selfTest(sample);
  for (const p of problems) console.log(`FAIL ${p}`);
  if (problems.length) failed++; else passed++;
} else { console.log('FAIL self-test: no Deployment to test with'); failed++; }
console.log(`(${versions.length} Kubernetes versions, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`k8s: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
