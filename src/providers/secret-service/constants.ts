/** The well-known bus name every Secret Service implementation owns. */
export const SECRETS_BUS_NAME = 'org.freedesktop.secrets';
/** The object path of the Service object. */
export const SERVICE_PATH = '/org/freedesktop/secrets';
/** The path that means "no object" (no prompt needed, no such alias). */
export const NO_OBJECT_PATH = '/';
/** The provider scheme reported in errors. */
export const PROVIDER_SCHEME = 'secret-service';

/** The D-Bus interfaces of the Secret Service API. */
export const Interfaces = {
  service: 'org.freedesktop.Secret.Service',
  collection: 'org.freedesktop.Secret.Collection',
  item: 'org.freedesktop.Secret.Item',
  session: 'org.freedesktop.Secret.Session',
  prompt: 'org.freedesktop.Secret.Prompt',
  properties: 'org.freedesktop.DBus.Properties',
  bus: 'org.freedesktop.DBus',
} as const;

/** The bus daemon's own name and path. */
export const BUS_DAEMON = { name: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus' } as const;

/** Session algorithms defined by the Secret Service spec that this client speaks. */
export type SessionAlgorithm = 'dh-ietf1024-sha256-aes128-cbc-pkcs7' | 'plain';
/** The encrypted session algorithm. */
export const DH_ALGORITHM: SessionAlgorithm = 'dh-ietf1024-sha256-aes128-cbc-pkcs7';
/** The unencrypted session algorithm (secrets travel in clear over the bus). */
export const PLAIN_ALGORITHM: SessionAlgorithm = 'plain';
