import type { EmulatorContext } from '../context.js';
import { constraintError } from '../errors.js';
import type { Tag } from '../input.js';
import {
  isValidLabel,
  PARAMETER_TYPES,
  type ParameterSelector,
  type ParameterTier,
  type ParameterType,
  parameterNotFound,
  parseSelector,
  resolveTier,
  ssmError,
  validateParameterName,
} from './validation.js';

/** One version of a parameter, as stored. */
export interface ParameterVersion {
  /** Parameter name. */
  readonly name: string;
  /** Version number, from 1. */
  readonly version: number;
  /** Parameter type of this version. */
  readonly type: ParameterType;
  /** The plain value (SecureString values are stored as given). */
  readonly value: string;
  /** Epoch milliseconds of the write. */
  readonly lastModified: number;
  /** Tier of this version. */
  readonly tier: ParameterTier;
  /** `text` (or `aws:ec2:image`, `aws:ssm:integration`). */
  readonly dataType: string;
  /** Description, if any. */
  readonly description?: string;
  /** Regular expression the value had to match, if any. */
  readonly allowedPattern?: string;
  /** KMS key of a SecureString. */
  readonly keyId?: string;
  /** Labels attached to this version (mutable: LabelParameterVersion moves them). */
  labels: string[];
}

/** A parameter with all its versions (oldest first) and tags. */
export interface StoredParameter {
  /** Parameter name. */
  readonly name: string;
  /** Versions, oldest first; the last one is current. */
  readonly versions: ParameterVersion[];
  /** Tags of the parameter. */
  readonly tags: Map<string, string>;
}

/** PutParameter's input, as the API takes it. */
export interface PutParameterInput {
  Name: string;
  Value: string;
  Type?: string;
  Overwrite?: boolean;
  Description?: string;
  KeyId?: string;
  AllowedPattern?: string;
  Tier?: string;
  DataType?: string;
  Tags?: Tag[];
}

const MAX_VERSIONS = 100;
const MAX_LABELS_PER_VERSION = 10;

/** The newest version of a stored parameter. */
export function currentVersion(parameter: StoredParameter): ParameterVersion {
  const current = parameter.versions.at(-1);
  if (current === undefined) throw new Error(`parameter ${parameter.name} has no version`);
  return current;
}

/**
 * Parameter Store's data: parameters, versions, labels and tags. The HTTP handlers call it, and tests may call it
 * directly (through `emulator.store.parameters`) to change parameters behind the client's back, without the call
 * counting in `stats` or passing through fault rules. Methods take the API's input shapes and throw the API's errors.
 */
export class ParameterStore {
  readonly #parameters = new Map<string, StoredParameter>();
  readonly #context: EmulatorContext;

  /** @internal */
  constructor(context: EmulatorContext) {
    this.#context = context;
  }

  /** Number of parameters. */
  get size(): number {
    return this.#parameters.size;
  }

  /** Creates a parameter or, with `Overwrite`, its next version. Returns what PutParameter answers. */
  putParameter(input: PutParameterInput): { Version: number; Tier: ParameterTier } {
    validateParameterName(input.Name);
    if (input.Value.length === 0)
      throw constraintError('value', '', 'Member must have length greater than or equal to 1');
    if (input.Type !== undefined && !(PARAMETER_TYPES as readonly string[]).includes(input.Type)) {
      throw constraintError(
        'type',
        input.Type,
        'Member must satisfy enum value set: [SecureString, StringList, String]',
      );
    }
    if (input.Overwrite && input.Tags?.length) {
      throw ssmError(
        'ValidationException',
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove " +
          'overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.',
      );
    }
    const existing = this.#parameters.get(input.Name);
    if (existing && !input.Overwrite) {
      throw ssmError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this request value, set the overwrite option in the request to true.',
      );
    }
    const previous = existing ? currentVersion(existing) : undefined;
    const type = (input.Type as ParameterType | undefined) ?? previous?.type;
    if (type === undefined)
      throw ssmError('ValidationException', 'A parameter type is required when you create a parameter.');
    const dataType = input.DataType ?? previous?.dataType ?? 'text';
    if (!['text', 'aws:ec2:image', 'aws:ssm:integration'].includes(dataType)) {
      throw ssmError(
        'ValidationException',
        `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`,
      );
    }
    const allowedPattern = input.AllowedPattern ?? previous?.allowedPattern;
    if (allowedPattern !== undefined) checkPattern(allowedPattern, input.Value);
    const tier = resolveTier(input.Tier, previous?.tier, input.Value);
    const description = input.Description ?? previous?.description;
    const keyId = type === 'SecureString' ? (input.KeyId ?? previous?.keyId ?? 'alias/aws/ssm') : undefined;

    const parameter = existing ?? { name: input.Name, versions: [], tags: new Map<string, string>() };
    if (parameter.versions.length >= MAX_VERSIONS) {
      const oldest = parameter.versions[0];
      if (oldest?.labels.length) {
        throw ssmError(
          'ParameterMaxVersionLimitExceeded',
          `You attempted to create a new version of ${input.Name} by calling the PutParameter API with the overwrite ` +
            `flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated ` +
            'with it. Move the label to another version of the parameter, and try again.',
        );
      }
      parameter.versions.shift();
    }
    const version: ParameterVersion = {
      name: input.Name,
      version: (previous?.version ?? 0) + 1,
      type,
      value: input.Value,
      lastModified: this.#context.now(),
      tier,
      dataType,
      labels: [],
      ...(description !== undefined && { description }),
      ...(allowedPattern !== undefined && { allowedPattern }),
      ...(keyId !== undefined && { keyId }),
    };
    parameter.versions.push(version);
    for (const tag of input.Tags ?? []) parameter.tags.set(tag.Key, tag.Value);
    this.#parameters.set(input.Name, parameter);
    return { Version: version.version, Tier: tier };
  }

  /** The parameter with this exact name (no selector), if any. */
  find(name: string): StoredParameter | undefined {
    return this.#parameters.get(name);
  }

  /** The version a `name`, `name:version`, `name:label` or ARN designates; throws `ParameterNotFound` / `ParameterVersionNotFound`. */
  getParameter(nameWithSelector: string): ParameterVersion {
    return this.resolve(parseSelector(nameWithSelector), nameWithSelector);
  }

  /** @internal Resolves a parsed selector. */
  resolve(selector: ParameterSelector, asGiven: string): ParameterVersion {
    const parameter = this.#lookup(selector);
    if (!parameter) throw parameterNotFound(asGiven);
    if (selector.version !== undefined) {
      const found = parameter.versions.find((v) => v.version === selector.version);
      if (!found) {
        throw ssmError(
          'ParameterVersionNotFound',
          `Systems Manager could not find version ${selector.version} of ${parameter.name}. Verify the version and try again.`,
        );
      }
      return found;
    }
    if (selector.label !== undefined) {
      const label = selector.label;
      const found = parameter.versions.find((v) => v.labels.includes(label));
      if (!found) throw parameterNotFound(asGiven);
      return found;
    }
    return currentVersion(parameter);
  }

  /** Deletes a parameter and all its versions; throws `ParameterNotFound`. */
  deleteParameter(name: string): void {
    if (!this.#parameters.delete(name)) throw parameterNotFound(name);
  }

  /** Attaches labels to a version (default: the current one), moving them from other versions. */
  labelParameterVersion(
    name: string,
    labels: readonly string[],
    version?: number,
  ): { InvalidLabels: string[]; ParameterVersion: number } {
    const target = this.resolve({ name, fromArn: false, ...(version !== undefined && { version }) }, name);
    const parameter = this.#parameters.get(target.name);
    const valid = labels.filter(isValidLabel);
    const invalid = labels.filter((label) => !isValidLabel(label));
    const added = valid.filter((label) => !target.labels.includes(label));
    if (target.labels.length + added.length > MAX_LABELS_PER_VERSION) {
      throw ssmError(
        'ParameterVersionLabelLimitExceeded',
        'A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.',
      );
    }
    for (const other of parameter?.versions ?? []) {
      if (other !== target) other.labels = other.labels.filter((label) => !valid.includes(label));
    }
    target.labels.push(...added);
    return { InvalidLabels: invalid, ParameterVersion: target.version };
  }

  /** Removes labels from a version; returns those that were not attached to it. */
  unlabelParameterVersion(name: string, version: number, labels: readonly string[]): string[] {
    const target = this.resolve({ name, fromArn: false, version }, name);
    const missing = labels.filter((label) => !target.labels.includes(label));
    target.labels = target.labels.filter((label) => !labels.includes(label));
    return missing;
  }

  /** All parameters sorted by name: the order listings scan in. */
  sorted(): StoredParameter[] {
    return [...this.#parameters.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The ARN AWS gives a parameter. */
  arn(name: string): string {
    const { region, accountId } = this.#context;
    return `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
  }

  /** The `LastModifiedUser` AWS reports: the caller's identity. */
  get lastModifiedUser(): string {
    return `arn:aws:iam::${this.#context.accountId}:user/emulator`;
  }

  /** Forgets every parameter. */
  clear(): void {
    this.#parameters.clear();
  }

  #lookup(selector: ParameterSelector): StoredParameter | undefined {
    if (selector.fromArn) return this.#parameters.get(`/${selector.name}`) ?? this.#parameters.get(selector.name);
    return this.#parameters.get(selector.name);
  }
}

function checkPattern(pattern: string, value: string): void {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch {
    throw ssmError(
      'InvalidAllowedPatternException',
      `The allowed pattern ${pattern} is not a valid regular expression.`,
    );
  }
  if (!regex.test(value)) {
    throw ssmError(
      'ParameterPatternMismatchException',
      `Parameter value, cannot be validated against allowedPattern: ${pattern}`,
    );
  }
}
