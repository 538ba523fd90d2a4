import { createHmac, randomBytes } from 'node:crypto';
import { epochSeconds } from '../context.js';
import type { ParameterStore, ParameterVersion } from './parameter-store.js';

/** Per-process key: ciphertexts are stable within a run and reveal nothing about values. */
const CIPHER_KEY = randomBytes(32);
/** The first bytes of a KMS ciphertext blob, so values look like what AWS returns without decryption. */
const KMS_BLOB_HEADER = Buffer.from([0x01, 0x02, 0x02, 0x00, 0x78]);

/** An opaque, encrypted-looking base64 value for a SecureString read without decryption. */
export function fakeCiphertext(version: ParameterVersion): string {
  const mac = createHmac('sha256', CIPHER_KEY).update(`${version.name}\0${version.version}\0${version.value}`).digest();
  const padding = createHmac('sha256', CIPHER_KEY).update(mac).digest();
  return Buffer.concat([KMS_BLOB_HEADER, mac, padding, mac.subarray(0, 16)]).toString('base64');
}

function wireValue(version: ParameterVersion, withDecryption: boolean): string {
  return version.type === 'SecureString' && !withDecryption ? fakeCiphertext(version) : version.value;
}

/** The `Parameter` shape of GetParameter(s) and GetParametersByPath. */
export function parameterShape(
  store: ParameterStore,
  version: ParameterVersion,
  withDecryption: boolean,
  selector?: string,
): Record<string, unknown> {
  return {
    Name: version.name,
    Type: version.type,
    Value: wireValue(version, withDecryption),
    Version: version.version,
    ...(selector !== undefined && { Selector: selector }),
    LastModifiedDate: epochSeconds(version.lastModified),
    ARN: store.arn(version.name),
    DataType: version.dataType,
  };
}

/** The `ParameterMetadata` shape of DescribeParameters. */
export function metadataShape(store: ParameterStore, version: ParameterVersion): Record<string, unknown> {
  return {
    Name: version.name,
    ARN: store.arn(version.name),
    Type: version.type,
    ...(version.keyId !== undefined && { KeyId: version.keyId }),
    LastModifiedDate: epochSeconds(version.lastModified),
    LastModifiedUser: store.lastModifiedUser,
    ...(version.description !== undefined && { Description: version.description }),
    ...(version.allowedPattern !== undefined && { AllowedPattern: version.allowedPattern }),
    Version: version.version,
    Tier: version.tier,
    Policies: [],
    DataType: version.dataType,
  };
}

/** The `ParameterHistory` shape of GetParameterHistory. */
export function historyShape(
  store: ParameterStore,
  version: ParameterVersion,
  withDecryption: boolean,
): Record<string, unknown> {
  return {
    Name: version.name,
    Type: version.type,
    ...(version.keyId !== undefined && { KeyId: version.keyId }),
    LastModifiedDate: epochSeconds(version.lastModified),
    LastModifiedUser: store.lastModifiedUser,
    ...(version.description !== undefined && { Description: version.description }),
    Value: wireValue(version, withDecryption),
    ...(version.allowedPattern !== undefined && { AllowedPattern: version.allowedPattern }),
    Version: version.version,
    Labels: [...version.labels],
    Tier: version.tier,
    Policies: [],
    DataType: version.dataType,
  };
}
