import { ProviderUnavailableError } from '../../../provider-kit/index.js';

const loaded = new Map<string, Promise<unknown>>();

function isModuleMissing(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // A missing dependency *of* the package is a broken install, not a missing package: say so differently.
  return error instanceof Error && error.message.includes(specifier);
}

/**
 * Imports an optional peer dependency on first use (once per process). When it is not installed, rejects with a
 * permanent {@link ProviderUnavailableError} that names the package to install.
 */
export function loadOptionalModule<M>(specifier: string, scheme: string): Promise<M> {
  let module = loaded.get(specifier) as Promise<M> | undefined;
  if (!module) {
    module = (import(specifier) as Promise<M>).catch((error: unknown) => {
      loaded.delete(specifier);
      const missing = isModuleMissing(error, specifier);
      throw new ProviderUnavailableError(
        missing
          ? `the ${scheme} provider needs the package '${specifier}': npm install ${specifier}`
          : `the package '${specifier}' could not be loaded for the ${scheme} provider`,
        { cause: error, provider: scheme, transient: false },
      );
    });
    loaded.set(specifier, module);
  }
  return module;
}
