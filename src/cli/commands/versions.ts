/**
 * `rxs versions <ref>`: the versions of a secret, pulled lazily page by page, where the provider keeps versions
 * (Parameter Store, Secrets Manager, Key Vault).
 * @module
 */
import { Command } from '@commander-js/extra-typings';
import { action } from '../action.js';

/** The `versions` command. */
export function versionsCommand() {
  return new Command('versions')
    .description('list the versions of a secret (version and creation time), lazily')
    .argument('<ref>', 'the secret, e.g. azure-kv:db-password')
    .action(action(async (context, ref: string) => (await import('../actions/versions.js')).versions(context, ref)));
}
