/**
 * `npm run check:deploy`: validates the deployment files offline — docker-compose.yml against the
 * Compose Specification schema, the Dockerfile, and every Kubernetes overlay as rendered, against
 * the Kubernetes schemas — and checks them against the code: the services in apps/, the variables
 * they read, the topics in libs/contracts. Exit code 1 with one line per problem.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { checkCompose } from './compose';
import { checkDockerfile } from './dockerfile';
import { finding, formatFinding, type Finding } from './findings';
import { FieldChecker } from './k8s-fields';
import { checkKubernetes } from './kubernetes';
import { readYamlDocuments, renderKustomization, type Manifest } from './kustomize';
import { readRepoFacts, type RepoFacts } from './repo-facts';

export interface DeployCheckOptions {
  /** The repository: apps/, libs/ and node_modules/ are read from here. */
  readonly root: string;
  /** Defaults: <root>/docker-compose.yml, Dockerfile, .dockerignore, deploy/k8s. */
  readonly compose?: string;
  readonly dockerfile?: string;
  readonly dockerignore?: string;
  readonly k8s?: string;
}

export interface DeployCheckResult {
  readonly findings: readonly Finding[];
  /** What was checked, e.g. `deploy/k8s/overlays/prod (19 resources)`. */
  readonly checked: readonly string[];
}

let cached: { root: string; facts: RepoFacts; fields: FieldChecker } | undefined;

/** Repository facts and the Kubernetes field lists: read once per process. */
function context(root: string): { facts: RepoFacts; fields: FieldChecker } {
  if (cached?.root !== root) cached = { root, facts: readRepoFacts(root), fields: new FieldChecker(root) };
  return cached;
}

export function checkDeploy(options: DeployCheckOptions): DeployCheckResult {
  const root = resolve(options.root);
  const name = (path: string) => (relative(root, path).startsWith('..') ? path : relative(root, path) || path);
  const { facts, fields } = context(root);
  const findings: Finding[] = [];
  const checked: string[] = [];

  const compose = options.compose ?? join(root, 'docker-compose.yml');
  const document = parseDocument(readFileSync(compose, 'utf8'), { merge: true });
  if (document.errors.length > 0) findings.push(...document.errors.map((e) => finding(name(compose), '', e.message)));
  else findings.push(...checkCompose(document.toJS(), facts, name(compose)));
  checked.push(name(compose));

  const dockerfile = options.dockerfile ?? join(root, 'Dockerfile');
  const dockerignore = options.dockerignore ?? join(root, '.dockerignore');
  findings.push(...checkDockerfile(root, readFileSync(dockerfile, 'utf8'), existsSync(dockerignore) ? readFileSync(dockerignore, 'utf8') : '', name(dockerfile)));
  checked.push(name(dockerfile));

  const k8s = options.k8s ?? join(root, 'deploy', 'k8s');
  const templateFile = join(k8s, 'secret.template.yaml');
  const [secretTemplate] = existsSync(templateFile) ? (readYamlDocuments(templateFile) as Manifest[]) : [];
  if (secretTemplate) {
    findings.push(...checkKubernetes([secretTemplate], { facts, fields, source: name(templateFile) }).filter((f) => f.where !== ''));
    checked.push(name(templateFile));
  }
  const overlays = join(k8s, 'overlays');
  const kustomizations = [join(k8s, 'base'), ...(existsSync(overlays) ? readdirSync(overlays).sort().map((o) => join(overlays, o)) : [])];
  const referenced = new Set<string>();
  for (const dir of kustomizations.filter((d) => existsSync(join(d, 'kustomization.yaml')))) {
    let resources: Manifest[];
    try {
      resources = renderKustomization(dir);
    } catch (error) {
      findings.push(finding(name(dir), '', `cannot render: ${(error as Error).message}`));
      continue;
    }
    findings.push(...checkKubernetes(resources, { facts, fields, source: name(dir), ...(secretTemplate ? { secretTemplate } : {}) }));
    for (const key of secretKeysReferenced(resources, secretTemplate?.metadata.name)) referenced.add(key);
    checked.push(`${name(dir)} (${resources.length} resources)`);
  }
  const readme = join(k8s, 'README.md');
  if (existsSync(readme)) {
    findings.push(...checkTopicTable(readFileSync(readme, 'utf8'), facts, name(readme)));
    checked.push(name(readme));
  }
  if (secretTemplate) {
    const keys = Object.keys({ ...(secretTemplate['stringData'] as object), ...(secretTemplate['data'] as object) });
    for (const key of keys.filter((k) => !referenced.has(k))) findings.push(finding(name(templateFile), 'stringData', `${key}: no Deployment reads it`));
    for (const key of [...referenced].filter((k) => !keys.includes(k))) findings.push(finding(name(templateFile), 'stringData', `${key}: read by a Deployment but not in the template`));
  }
  return { findings, checked };
}

/** The per-topic table of deploy/k8s/README.md: every topic of libs/contracts, with its partitions, key and consumer groups. */
export function checkTopicTable(markdown: string, facts: RepoFacts, file: string): Finding[] {
  const findings: Finding[] = [];
  const rows = new Map(
    markdown
      .split('\n')
      .filter((line) => /^\| `[a-z][^`]*` \|/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .filter((cells) => /^\d+$/.test(cells[2] ?? ''))
      .map((cells) => [cells[1]!.replace(/`/g, ''), cells] as const),
  );
  const services = [...facts.services.values()];
  for (const topic of facts.topics) {
    const row = rows.get(topic.name);
    if (!row) {
      findings.push(finding(file, 'topics', `${topic.name} is not in the table`));
      continue;
    }
    const groups = services.filter((s) => s.consumes.includes(topic)).map((s) => s.name);
    const expected = groups.length === services.length ? 'all six' : groups.length === 0 ? 'none' : groups.sort().join(', ');
    const listed = row[5]!.split(';')[0]!.trim().split(/,\s*/).sort().join(', ');
    if (row[2] !== String(topic.partitions)) findings.push(finding(file, topic.name, `${row[2]} partitions; libs/contracts says ${topic.partitions}`));
    if (row[4] !== topic.key) findings.push(finding(file, topic.name, `key "${row[4]}"; libs/contracts says "${topic.key}"`));
    if (listed !== expected) findings.push(finding(file, topic.name, `consumed by "${listed}"; the services say "${expected}"`));
  }
  for (const name of rows.keys()) {
    if (!facts.topics.some((t) => t.name === name)) findings.push(finding(file, name, 'not a topic of libs/contracts'));
  }
  return findings;
}

/** Keys of the named Secret that the Deployments read through secretKeyRef. */
function secretKeysReferenced(resources: readonly Manifest[], secret: string | undefined): string[] {
  type Env = { valueFrom?: { secretKeyRef?: { name: string; key: string } } };
  type Pod = { spec?: { template?: { spec?: { containers?: { env?: Env[] }[] } } } };
  return resources
    .filter((r) => r.kind === 'Deployment')
    .flatMap((r) => (r as Pod).spec?.template?.spec?.containers ?? [])
    .flatMap((c) => c.env ?? [])
    .flatMap((e) => (e.valueFrom?.secretKeyRef?.name === secret ? [e.valueFrom!.secretKeyRef!.key] : []));
}

function main(): void {
  const root = resolve(__dirname, '../..');
  const { findings, checked } = checkDeploy({ root });
  for (const f of findings) console.log(formatFinding(f));
  console.log(`deploy check: ${checked.join(', ')}: ${findings.length === 0 ? 'ok' : `${findings.length} problem${findings.length === 1 ? '' : 's'}`}`);
  process.exitCode = findings.length === 0 ? 0 : 1;
}

if (require.main === module) main();
