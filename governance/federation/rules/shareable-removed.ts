/**
 * A field that loses @shareable (on the field or its type block): if another subgraph also
 * resolves it, composition now fails; if not, routing stops spreading it across subgraphs.
 */
import { fieldDirectiveRemoved } from './field-directive-removed';

export const shareableRemoved = fieldDirectiveRemoved({
  name: 'shareable-removed',
  directive: 'shareable',
  message: (coordinate, subgraph) => `${coordinate} is no longer @shareable in subgraph "${subgraph}": composition fails if another subgraph still resolves it`,
});
