/**
 * Unknown fields in Kubernetes manifests. The JSON schemas of the Kubernetes API allow any extra
 * property, so a misspelt `livenesProbe` passes them and the API server drops or refuses it at
 * apply time. The TypeScript types kubernetes-models generates from the same OpenAPI spec list
 * every field, so each manifest is walked alongside its kind's type and every key the type does not
 * have is reported (what `kubectl apply --validate=strict` would refuse).
 */
import { join } from 'node:path';
import ts from 'typescript';

/** apiVersion/kind → the module and interface that describe it. */
export const KIND_TYPES: Readonly<Record<string, { readonly module: string; readonly type: string }>> = {
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', type: 'IService' },
  'v1/ConfigMap': { module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1/Secret': { module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'policy/v1/PodDisruptionBudget': { module: 'kubernetes-models/policy/v1/PodDisruptionBudget', type: 'IPodDisruptionBudget' },
};

export class FieldChecker {
  private readonly checker: ts.TypeChecker;
  private readonly kinds: ReadonlyMap<string, ts.Type>;

  /** `root`: where node_modules/kubernetes-models is found. Builds a small program once (~1 s). */
  constructor(root: string) {
    const file = join(root, 'tools', 'deploy-check', '__kinds__.ts');
    const entries = Object.entries(KIND_TYPES);
    const source = [
      ...entries.map(([, k], i) => `import type { ${k.type} as K${i} } from '${k.module}';`),
      `export interface Kinds { ${entries.map(([key], i) => `'${key}': K${i};`).join(' ')} }`,
    ].join('\n');
    const options: ts.CompilerOptions = {
      noEmit: true,
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      lib: ['lib.es2022.d.ts'],
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.getSourceFile = (name, languageVersion, ...rest) =>
      name === file ? ts.createSourceFile(name, source, languageVersion) : getSourceFile(name, languageVersion, ...rest);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    this.checker = program.getTypeChecker();
    const kinds = program.getSourceFile(file)!.statements.find(ts.isInterfaceDeclaration)!;
    const kindsType = this.checker.getTypeAtLocation(kinds);
    this.kinds = new Map(
      entries.map(([key]) => {
        const property = kindsType.getProperty(key);
        const type = property && this.checker.getTypeOfSymbol(property);
        if (!type || this.checker.getPropertiesOfType(type).length === 0) throw new Error(`kubernetes-models: no type for ${key}`);
        return [key, type];
      }),
    );
  }

  /** `apps/v1/Deployment` for `{ apiVersion: 'apps/v1', kind: 'Deployment' }`. */
  static kindOf(manifest: { readonly apiVersion?: unknown; readonly kind?: unknown }): string {
    return `${String(manifest.apiVersion)}/${String(manifest.kind)}`;
  }

  /** Paths of the fields the kind does not have, e.g. `spec.template.spec.containers[0].livenesProbe`. */
  unknownFields(manifest: Record<string, unknown>): string[] {
    const type = this.kinds.get(FieldChecker.kindOf(manifest));
    if (!type) throw new Error(`no field list for ${FieldChecker.kindOf(manifest)}`);
    const unknown: string[] = [];
    this.walk(manifest, type, '', unknown);
    return unknown;
  }

  private walk(value: unknown, declared: ts.Type, path: string, unknown: string[]): void {
    if (typeof value !== 'object' || value === null) return;
    const type = this.checker.getNonNullableType(declared);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    const members = type.isUnion() ? type.types : [type];
    if (Array.isArray(value)) {
      const array = members.find((m) => this.checker.isArrayType(m));
      const item = array && this.checker.getTypeArguments(array as ts.TypeReference)[0];
      if (item) value.forEach((v, i) => this.walk(v, item, `${path}[${i}]`, unknown));
      return;
    }
    const objects = members.filter((m) => m.flags & ts.TypeFlags.Object && !this.checker.isArrayType(m));
    if (objects.length === 0) return;
    for (const [key, child] of Object.entries(value)) {
      const field = this.fieldType(objects, key);
      const at = path === '' ? key : `${path}.${key}`;
      if (field) this.walk(child, field, at, unknown);
      else unknown.push(at);
    }
  }

  private fieldType(objects: readonly ts.Type[], key: string): ts.Type | undefined {
    for (const object of objects) {
      const property = object.getProperty(key);
      if (property) return this.checker.getTypeOfSymbol(property);
      const index = this.checker.getIndexInfosOfType(object)[0];
      if (index) return index.type;
    }
    return undefined;
  }
}
