import type { Attributes } from './item.js';

/** The schema gnome-keyring records on every item stored without one. */
const GENERIC_SCHEMA = 'org.freedesktop.Secret.Generic';
/** The entry fields KeePassXC adds to every item's attributes, beside `Uuid` and `Title`. */
const KEEPASSXC_EMPTY_FIELDS = ['Notes', 'URL', 'UserName'] as const;

/**
 * The attributes a user set on an item, without those the service adds on its own, so an item is named (in listings)
 * and tagged the same on every service:
 * - gnome-keyring records `xdg:schema=org.freedesktop.Secret.Generic` on items stored without a schema;
 * - KeePassXC (its items carry `Uuid` = the last segment of their path) adds its entry fields: `Uuid`, `Title` (the
 *   label), `Path` (group path and title), and `Notes`, `URL`, `UserName` (empty unless set).
 *
 * Only a value the service itself would have put is dropped (a non-empty `UserName` a user set stays), and every
 * dropped attribute is one the item still matches, so a ref built from the result finds the same item.
 */
export function userAttributes(path: string, label: string, attributes: Attributes): Attributes {
  const own: Record<string, string> = { ...attributes };
  if (own['xdg:schema'] === GENERIC_SCHEMA) delete own['xdg:schema'];
  if (own.Uuid !== undefined && own.Uuid === path.slice(path.lastIndexOf('/') + 1)) {
    delete own.Uuid;
    const title = own.Title;
    if (title === label) delete own.Title;
    if (title !== undefined && own.Path?.endsWith(`/${title}`)) delete own.Path;
    for (const field of KEEPASSXC_EMPTY_FIELDS) if (own[field] === '') delete own[field];
  }
  return own;
}
