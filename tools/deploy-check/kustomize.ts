/**
 * Renders a kustomization the way `kubectl kustomize` does, for the part of Kustomize that
 * deploy/k8s uses: `resources` (files and kustomization folders), `namespace`, `images`,
 * `replicas`, and `patches` that are strategic-merge patches in a file, optionally applied to every
 * resource of a `target` kind. Anything else is refused rather than silently ignored. The unit tests
 * compare the result with `kubectl kustomize` wherever kubectl is installed.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Manifest = Record<string, unknown> & { readonly kind: string; readonly metadata: { name: string; namespace?: string } };

interface Kustomization {
  readonly resources?: readonly string[];
  readonly namespace?: string;
  readonly images?: readonly { readonly name: string; readonly newName?: string; readonly newTag?: string }[];
  readonly replicas?: readonly { readonly name: string; readonly count: number }[];
  readonly patches?: readonly { readonly path: string; readonly target?: { readonly kind?: string; readonly name?: string } }[];
}

const FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'replicas', 'patches']);

/** Parses a YAML file of one or more documents; empty documents are skipped. */
export function readYamlDocuments(file: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  return documents.flatMap((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]!.message}`);
    const value: unknown = d.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

export function renderKustomization(dir: string): Manifest[] {
  const [k] = readYamlDocuments(join(dir, 'kustomization.yaml')) as [(Kustomization & Record<string, unknown>) | undefined];
  if (!k) throw new Error(`${join(dir, 'kustomization.yaml')}: empty`);
  const unsupported = Object.keys(k).filter((key) => !FIELDS.has(key));
  if (unsupported.length > 0) throw new Error(`${join(dir, 'kustomization.yaml')}: not supported by this renderer: ${unsupported.join(', ')}`);

  let resources: Manifest[] = (k.resources ?? []).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? renderKustomization(path) : (readYamlDocuments(path) as Manifest[]);
  });
  for (const patch of k.patches ?? []) {
    const file = join(dir, patch.path);
    const documents = readYamlDocuments(file) as Manifest[];
    if (documents.length !== 1 || Array.isArray(documents[0])) throw new Error(`${file}: expected one strategic-merge patch (JSON 6902 patches are not supported)`);
    const body = documents[0]!;
    const matches = (r: Manifest) =>
      patch.target
        ? (patch.target.kind === undefined || r.kind === patch.target.kind) && (patch.target.name === undefined || r.metadata.name === patch.target.name)
        : r.kind === body.kind && r.metadata.name === body.metadata.name;
    if (!resources.some(matches)) throw new Error(`${file}: the patch matches no resource`);
    const { apiVersion: _apiVersion, kind: _kind, metadata, ...rest } = body;
    const { name: _name, ...metadataRest } = metadata;
    const change = patch.target ? { ...rest, ...(Object.keys(metadataRest).length > 0 ? { metadata: metadataRest } : {}) } : { ...rest, metadata };
    resources = resources.map((r) => (matches(r) ? (strategicMerge(r, change) as Manifest) : r));
  }
  for (const image of k.images ?? []) resources = resources.map((r) => withImage(r, image));
  for (const { name, count } of k.replicas ?? []) {
    if (!resources.some((r) => r.kind === 'Deployment' && r.metadata.name === name)) throw new Error(`${dir}: replicas for ${name}, which is not a Deployment here`);
    resources = resources.map((r) => (r.kind === 'Deployment' && r.metadata.name === name ? (strategicMerge(r, { spec: { replicas: count } }) as Manifest) : r));
  }
  if (k.namespace) resources = resources.map((r) => ({ ...r, metadata: { ...r.metadata, namespace: k.namespace! } }));
  return resources;
}

/** The list fields Kubernetes merges item by item (patchMergeKey), among those deploy/k8s patches. */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
};

/** Kubernetes strategic merge: maps merge, `null` deletes, keyed lists merge by key, other lists are replaced. */
export function strategicMerge(target: unknown, patch: unknown, field?: string): unknown {
  if (Array.isArray(patch)) {
    const key = field === undefined ? undefined : MERGE_KEYS[field];
    if (!key || !Array.isArray(target)) return structuredClone(patch);
    const merged = target.map((item) => structuredClone(item) as Record<string, unknown>);
    for (const item of patch as Record<string, unknown>[]) {
      const at = merged.findIndex((m) => m[key] === item[key]);
      if (at < 0) merged.push(structuredClone(item));
      else merged[at] = strategicMerge(merged[at], item) as Record<string, unknown>;
    }
    return merged;
  }
  if (!isObject(patch) || !isObject(target)) return structuredClone(patch);
  const merged: Record<string, unknown> = { ...target };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else merged[name] = strategicMerge(target[name], value, name);
  }
  return merged;
}

function withImage(resource: Manifest, image: NonNullable<Kustomization['images']>[number]): Manifest {
  const spec = (resource as { spec?: { template?: { spec?: Record<string, unknown> } } }).spec?.template?.spec;
  if (!spec) return resource;
  const rename = (container: Record<string, unknown>) => {
    const [name, tag] = splitImage(String(container['image'] ?? ''));
    if (name !== image.name) return container;
    const newTag = image.newTag ?? tag;
    return { ...container, image: `${image.newName ?? name}${newTag === undefined ? '' : `:${newTag}`}` };
  };
  const lists = ['containers', 'initContainers'].filter((field) => Array.isArray(spec[field]));
  const patch = Object.fromEntries(lists.map((field) => [field, (spec[field] as Record<string, unknown>[]).map(rename)]));
  return strategicMerge(resource, { spec: { template: { spec: patch } } }) as Manifest;
}

function splitImage(image: string): [string, string | undefined] {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
