/** Name-case checks and suggested renames for the naming rules. */

export const isPascalCase = (name: string): boolean => /^[A-Z][A-Za-z0-9]*$/.test(name);
export const isCamelCase = (name: string): boolean => /^[a-z][A-Za-z0-9]*$/.test(name);
export const isUpperCase = (name: string): boolean => /^[A-Z][A-Z0-9_]*$/.test(name);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

export const toPascalCase = (name: string): string => words(name).map(capitalize).join('');
export const toCamelCase = (name: string): string => {
  const [first = '', ...rest] = words(name);
  return first + rest.map(capitalize).join('');
};
export const toUpperCase = (name: string): string => words(name).join('_').toUpperCase();

/** Federation and link machinery a subgraph may spell out (`_Any`, `link__Import`): not the team's names. */
export function isMachineryName(name: string): boolean {
  return name.startsWith('_') || name.includes('__');
}
