/**
 * A field that loses @external while staying in the subgraph: the subgraph now claims to resolve
 * a field it used to only reference, which changes who serves it (or breaks composition).
 */
import { fieldDirectiveRemoved } from './field-directive-removed';

export const externalRemoved = fieldDirectiveRemoved({
  name: 'external-removed',
  directive: 'external',
  message: (coordinate, subgraph) => `${coordinate} lost @external in subgraph "${subgraph}": the subgraph now resolves it itself instead of referencing another subgraph's`,
});
