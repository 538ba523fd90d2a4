import {
  makeRef,
  Secret,
  type SecretInfo,
  type SecretInfoInit,
  type SecretRef,
  type SecretValue,
  secretInfo,
  ValidationError,
} from '../../../provider-kit/index.js';

/** The fields of an SSM `Parameter`, `ParameterHistory` or `ParameterMetadata` this provider reads. */
export interface ParameterFields {
  readonly Name?: string | undefined;
  readonly Type?: string | undefined;
  readonly Value?: string | undefined;
  readonly Version?: number | undefined;
  readonly LastModifiedDate?: Date | undefined;
  readonly ARN?: string | undefined;
  readonly DataType?: string | undefined;
  readonly Selector?: string | undefined;
  readonly Labels?: string[] | undefined;
  readonly KeyId?: string | undefined;
  readonly Tier?: string | undefined;
  readonly Description?: string | undefined;
}

/**
 * The value of a parameter: text for `String` and `SecureString`; for `StringList`, the items as a JSON array of
 * strings (`metadata.type` says `'StringList'`), so `#0` key paths pick an item.
 */
export function parameterValue(parameter: ParameterFields): SecretValue {
  const value = parameter.Value ?? '';
  return parameter.Type === 'StringList' ? value.split(',') : value;
}

/** What is known about a parameter version, without its value. */
export function parameterInit(scheme: string, parameter: ParameterFields, ref?: SecretRef): SecretInfoInit {
  const name = parameter.Name ?? ref?.name ?? '';
  const version = parameter.Version === undefined ? undefined : String(parameter.Version);
  const metadata: Record<string, unknown> = {};
  if (parameter.Type !== undefined) metadata.type = parameter.Type;
  if (parameter.ARN !== undefined) metadata.arn = parameter.ARN;
  if (parameter.DataType !== undefined) metadata.dataType = parameter.DataType;
  if (parameter.Selector !== undefined) metadata.selector = parameter.Selector;
  if (parameter.Labels !== undefined) metadata.labels = [...parameter.Labels];
  if (parameter.KeyId !== undefined) metadata.keyId = parameter.KeyId;
  if (parameter.Tier !== undefined) metadata.tier = parameter.Tier;
  if (parameter.Description !== undefined) metadata.description = parameter.Description;
  return {
    ref: ref ?? makeRef(scheme, name, version),
    name,
    version,
    createdAt: parameter.LastModifiedDate,
    updatedAt: parameter.LastModifiedDate,
    metadata,
  };
}

/** A parameter as a {@link SecretInfo} (listings). */
export function parameterInfo(scheme: string, parameter: ParameterFields): SecretInfo {
  return secretInfo(parameterInit(scheme, parameter));
}

/** A parameter with its value as a {@link Secret}, under the ref that asked for it. */
export function parameterSecret(scheme: string, parameter: ParameterFields, ref?: SecretRef): Secret {
  return new Secret(parameterInit(scheme, parameter, ref), parameterValue(parameter));
}

/**
 * The text to store. Parameter Store holds text only; for a `StringList`, a JSON array of strings (what `set` makes
 * of an array) is stored as the comma-separated list. Never quotes the value in an error.
 */
export function parameterText(
  value: string | Uint8Array,
  type: string,
  contentType: string | undefined,
  ref: SecretRef,
): string {
  if (typeof value !== 'string') {
    throw new ValidationError(`${ref.text}: Parameter Store holds text, not bytes (encode them as base64 first)`, {
      ref: ref.text,
      provider: ref.scheme,
    });
  }
  if (type !== 'StringList' || !/json/i.test(contentType ?? '')) return value;
  let items: unknown;
  try {
    items = JSON.parse(value);
  } catch {
    return value;
  }
  if (!Array.isArray(items)) return value;
  if (!items.every((item) => typeof item === 'string' && item.length > 0 && !item.includes(','))) {
    throw new ValidationError(`${ref.text}: a StringList holds non-empty strings without commas`, {
      ref: ref.text,
      provider: ref.scheme,
    });
  }
  return items.join(',');
}
