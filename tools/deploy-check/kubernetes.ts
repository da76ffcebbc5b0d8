/**
 * Rendered Kubernetes manifests: each against its kind's JSON schema (kubernetes-models, generated
 * from the Kubernetes OpenAPI spec) and its kind's field list; then what the schemas cannot know —
 * every Deployment runs a service of apps/ with probes, resources and a locked-down security
 * context, sets only variables that service reads, finds every ConfigMap and Secret key it refers
 * to, has a Service and a PodDisruptionBudget, and asks for no more replicas than the partitions of
 * the topics its consumer group reads.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { finding, pointerToPath, type Finding } from './findings';
import { FieldChecker } from './k8s-fields';
import type { Manifest } from './kustomize';
import type { RepoFacts } from './repo-facts';

type Validatable = new (data: never) => { validate(): void };

const MODELS: Readonly<Record<string, Validatable>> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** Read by the image's start command (Dockerfile CMD), not by the service's settings. */
const IMAGE_VARIABLES = new Set(['SERVICE']);

export interface KubernetesContext {
  readonly facts: RepoFacts;
  readonly fields: FieldChecker;
  /** Where the manifests come from, e.g. `deploy/k8s/overlays/prod`. */
  readonly source: string;
  /** Stands in for a Secret the render leaves to the operator (deploy/k8s/secret.template.yaml). */
  readonly secretTemplate?: Manifest;
}

interface HttpProbe {
  readonly httpGet?: { readonly path?: string; readonly port?: string | number };
}
interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
  };
}
interface Container {
  readonly name: string;
  readonly image?: string;
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly {
    readonly configMapRef?: { readonly name: string; readonly optional?: boolean };
    readonly secretRef?: { readonly name: string; readonly optional?: boolean };
  }[];
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly livenessProbe?: HttpProbe;
  readonly readinessProbe?: HttpProbe;
  readonly resources?: { readonly requests?: Record<string, unknown>; readonly limits?: Record<string, unknown> };
  readonly securityContext?: { readonly runAsNonRoot?: boolean; readonly readOnlyRootFilesystem?: boolean; readonly allowPrivilegeEscalation?: boolean };
}
interface DeploymentShape {
  readonly spec?: {
    readonly replicas?: number;
    readonly selector?: { readonly matchLabels?: Record<string, string> };
    readonly template?: {
      readonly metadata?: { readonly labels?: Record<string, string> };
      readonly spec?: { readonly securityContext?: { readonly runAsNonRoot?: boolean }; readonly containers?: readonly Container[] };
    };
  };
}
interface ServiceShape {
  readonly spec?: { readonly selector?: Record<string, string> };
}
interface DisruptionBudgetShape {
  readonly spec?: { readonly selector?: { readonly matchLabels?: Record<string, string> } };
}

export function checkKubernetes(resources: readonly Manifest[], context: KubernetesContext): Finding[] {
  const { source } = context;
  const at = (r: Manifest) => `${r.kind}/${r.metadata?.name}`;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const resource of resources) {
    const kind = FieldChecker.kindOf(resource);
    const Model = MODELS[kind];
    if (!Model) {
      findings.push(finding(source, at(resource), `${kind}: no schema here (checked kinds: ${Object.keys(MODELS).join(', ')})`));
      continue;
    }
    const id = `${kind}/${resource.metadata?.namespace ?? ''}/${resource.metadata?.name}`;
    if (seen.has(id)) findings.push(finding(source, at(resource), 'defined twice'));
    seen.add(id);
    findings.push(...schemaErrors(Model, resource).map((problem) => finding(source, at(resource), problem)));
    findings.push(...context.fields.unknownFields(resource).map((path) => finding(source, at(resource), `${path}: unknown field`)));
  }

  const refs: References = {
    configMaps: new Map(resources.filter((r) => r.kind === 'ConfigMap').map((r) => [r.metadata.name, dataOf(r)])),
    secrets: new Map(resources.filter((r) => r.kind === 'Secret').map((r) => [r.metadata.name, dataOf(r)])),
    selectors: resources
      .filter((r) => r.kind === 'Service' || r.kind === 'PodDisruptionBudget')
      .map((r) => ({ kind: r.kind, labels: r.kind === 'Service' ? (r as ServiceShape).spec?.selector : (r as DisruptionBudgetShape).spec?.selector?.matchLabels })),
  };
  const template = context.secretTemplate;
  if (template && !refs.secrets.has(template.metadata.name)) refs.secrets.set(template.metadata.name, dataOf(template));

  const deployed = new Map<string, string[]>();
  for (const resource of resources.filter((r) => r.kind === 'Deployment')) {
    const problems: string[] = [];
    const service = checkDeployment(resource as DeploymentShape, refs, context.facts, problems);
    findings.push(...problems.map((problem) => finding(source, at(resource), problem)));
    if (service) deployed.set(service, [...(deployed.get(service) ?? []), at(resource)]);
  }
  for (const name of context.facts.services.keys()) {
    const deployments = deployed.get(name) ?? [];
    if (deployments.length !== 1) findings.push(finding(source, '', `apps/${name} runs in ${deployments.length === 0 ? 'no Deployment' : deployments.join(' and ')}`));
  }
  return findings;
}

interface References {
  /** ConfigMap and Secret name → its keys and (string) values. */
  readonly configMaps: Map<string, Readonly<Record<string, string>>>;
  readonly secrets: Map<string, Readonly<Record<string, string>>>;
  /** The labels each Service and PodDisruptionBudget selects. */
  readonly selectors: readonly { readonly kind: string; readonly labels: Readonly<Record<string, string>> | undefined }[];
}

const dataOf = (r: Manifest): Record<string, string> => ({ ...(r['data'] as Record<string, string> | undefined), ...(r['stringData'] as Record<string, string> | undefined) });

/** Problems of one Deployment; returns the service it runs, when it runs one of apps/. */
function checkDeployment(deployment: DeploymentShape, refs: References, facts: RepoFacts, problems: string[]): string | undefined {
  const spec = deployment.spec;
  const labels = spec?.template?.metadata?.labels ?? {};
  if (!selects(spec?.selector?.matchLabels, labels)) problems.push('spec.selector does not select the pod template labels');
  for (const kind of ['Service', 'PodDisruptionBudget']) {
    if (!refs.selectors.some((s) => s.kind === kind && selects(s.labels, labels))) problems.push(`no ${kind} selects its pods`);
  }
  const podNonRoot = spec?.template?.spec?.securityContext?.runAsNonRoot === true;
  const services = (spec?.template?.spec?.containers ?? []).map((container) => checkContainer(container, podNonRoot, refs, facts, problems));
  const service = facts.services.get(services.find((s) => s !== undefined) ?? '');
  if (!service) return undefined;
  const replicas = spec?.replicas ?? 1;
  const narrowest = [...service.consumes].sort((a, b) => a.partitions - b.partitions)[0];
  if (narrowest && replicas > narrowest.partitions) {
    problems.push(`${replicas} replicas, but ${service.name} consumes ${narrowest.name}, which has ${narrowest.partitions} partitions: a consumer group uses at most that many members`);
  }
  return service.name;
}

/** Problems of one container; returns the service it runs (its SERVICE variable), when one of apps/. */
function checkContainer(container: Container, podNonRoot: boolean, refs: References, facts: RepoFacts, problems: string[]): string | undefined {
  const problem = (text: string) => problems.push(`container ${container.name}: ${text}`);
  if (!container.image) problem('no image');
  else if (!/:[^/]+$/.test(container.image) || container.image.endsWith(':latest')) problem(`image ${container.image} has no version tag`);
  for (const [probe, path] of [['livenessProbe', '/health/live'], ['readinessProbe', '/health/ready']] as const) {
    const httpGet = container[probe]?.httpGet;
    if (httpGet?.path !== path) problem(`no ${probe} on GET ${path}`);
    else if (!container.ports?.some((p) => p.name === httpGet.port || p.containerPort === httpGet.port)) problem(`${probe} port ${String(httpGet.port)} is not a container port`);
  }
  for (const field of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (container.resources?.[field]?.[resource] === undefined) problem(`no resources.${field}.${resource}`);
    }
  }
  const security = container.securityContext;
  if (!podNonRoot && security?.runAsNonRoot !== true) problem('runAsNonRoot is not set (pod or container)');
  if (security?.readOnlyRootFilesystem !== true) problem('securityContext.readOnlyRootFilesystem is not true');
  if (security?.allowPrivilegeEscalation !== false) problem('securityContext.allowPrivilegeEscalation is not false');

  // Every variable the container gets: whole ConfigMaps and Secrets first, then its own list.
  const variables = new Map<string, string | undefined>();
  for (const from of container.envFrom ?? []) {
    const [kind, ref, found] = from.configMapRef
      ? (['ConfigMap', from.configMapRef, refs.configMaps] as const)
      : (['Secret', from.secretRef, refs.secrets] as const);
    if (!ref) continue;
    const data = found.get(ref.name);
    if (!data && !ref.optional) problem(`envFrom ${kind} ${ref.name}, which is not defined`);
    for (const [key, value] of Object.entries(data ?? {})) variables.set(key, kind === 'ConfigMap' ? value : undefined);
  }
  for (const variable of container.env ?? []) {
    variables.set(variable.name, variable.value);
    const [kind, ref, found] = variable.valueFrom?.secretKeyRef
      ? (['Secret', variable.valueFrom.secretKeyRef, refs.secrets] as const)
      : (['ConfigMap', variable.valueFrom?.configMapKeyRef, refs.configMaps] as const);
    if (ref && !ref.optional && found.get(ref.name)?.[ref.key] === undefined) problem(`${variable.name} refers to ${kind} ${ref.name} key ${ref.key}, which is not defined`);
  }

  const name = variables.get('SERVICE');
  const service = name === undefined ? undefined : facts.services.get(name);
  if (!service) {
    problem(`SERVICE is ${name === undefined ? 'not set' : `'${name}', not a service in apps/`}`);
    return undefined;
  }
  for (const variable of variables.keys()) {
    if (!service.env.has(variable) && !IMAGE_VARIABLES.has(variable)) problem(`sets ${variable}, which ${service.name} does not read`);
  }
  const port = Number(variables.get('HTTP_PORT') ?? service.defaultHttpPort);
  if (!container.ports?.some((p) => p.containerPort === port)) problem(`the service listens on ${port}, which is not a container port`);
  return service.name;
}

function schemaErrors(Model: Validatable, resource: Manifest): string[] {
  try {
    new Model(structuredClone(resource) as never).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: readonly { instancePath: string; message?: string }[] }).errors;
    if (!errors) return [(error as Error).message];
    const byPath = new Map<string, string[]>();
    for (const e of errors) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e.message ?? 'invalid']);
    return [...byPath].map(([path, messages]) => `${pointerToPath(path) || '(root)'}: ${[...new Set(messages)].join('; ')}`);
  }
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}
