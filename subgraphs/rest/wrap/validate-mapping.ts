/**
 * Check a mapping against the subgraph's SDL before any request: every mapped type, field,
 * argument and key must exist, so a typo fails the build instead of the first query. All
 * problems are reported at once, each naming the subgraph and the coordinate.
 */
import type { ParsedRestMapping } from './mapping';
import type { SdlObjectType } from './sdl';

export function validateMapping(subgraph: string, mapping: ParsedRestMapping, types: Map<string, SdlObjectType>, enums: Map<string, Set<string>>, source = 'mapping'): void {
  const problems: string[] = [];
  const report = (where: string, message: string) => problems.push(`${where}: ${message}`);

  for (const [typeName, entity] of Object.entries(mapping.entities)) {
    const type = types.get(typeName);
    if (!type) report(`entities.${typeName}`, `type ${typeName} is not in the schema`);
    else if (type.keys.length === 0) report(`entities.${typeName}`, `type ${typeName} has no @key in the schema`);
    else if (entity.keyFields.length === 1 && !type.keys.some((fields) => fields.includes(entity.key))) report(`entities.${typeName}`, `key "${entity.key}" is not in any @key of ${typeName}`);
    else if (entity.keyFields.length > 1 && !type.keys.some((fields) => sameSet(fields, entity.keyFields))) report(`entities.${typeName}`, `key "${entity.key}" is not a @key of ${typeName}`);
    else for (const field of entity.keyFields) if (!type.fields.has(field)) report(`entities.${typeName}`, `key field ${typeName}.${field} is not in the schema`);
  }
  for (const typeName of mapping.stubs) {
    const type = types.get(typeName);
    if (!type) report(`stubs`, `type ${typeName} is not in the schema`);
    else if (type.keys.length === 0) report(`stubs`, `type ${typeName} has no @key in the schema`);
    if (typeName in mapping.entities) report(`stubs`, `type ${typeName} is both an entity and a stub`);
  }

  for (const [coordinate, field] of Object.entries(mapping.fields)) {
    const where = `fields.${coordinate}`;
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = types.get(typeName);
    if (!type) {
      report(where, `type ${typeName} is not in the schema`);
      continue;
    }
    const sdlField = type.fields.get(fieldName);
    if (!sdlField) {
      report(where, `field ${coordinate} is not in the schema`);
      continue;
    }
    switch (field.kind) {
      case 'list': {
        for (const arg of Object.keys(field.args)) if (!sdlField.args.has(arg)) report(where, `argument ${coordinate}(${arg}:) is not in the schema`);
        for (const placeholder of placeholdersOf(field.path)) if (!sdlField.args.has(placeholder)) report(where, `path placeholder {${placeholder}} is not an argument of ${coordinate}`);
        if (field.paginate) {
          const connection = types.get(sdlField.namedType);
          if (sdlField.isList || !connection?.fields.has('edges') || !connection.fields.has('pageInfo')) report(where, `a paginated list returns a connection type (with "edges" and "pageInfo"), not ${sdlField.namedType}`);
          for (const arg of ['first', 'after']) if (!sdlField.args.has(arg)) report(where, `a paginated list needs the argument ${coordinate}(${arg}:)`);
        } else if (!sdlField.isList) report(where, `a list endpoint needs a list return type`);
        break;
      }
      case 'entity':
        if (!(field.type in mapping.entities)) report(where, `entity ${field.type} is not under "entities"`);
        if (sdlField.namedType !== field.type) report(where, `returns ${sdlField.namedType}, not ${field.type}`);
        if (field.keyArg !== undefined && !sdlField.args.has(field.keyArg)) report(where, `argument ${coordinate}(${field.keyArg}:) is not in the schema`);
        break;
      case 'hasMany':
        if (!sdlField.isList) report(where, `a hasMany field needs a list return type`);
        break;
      case 'reference': {
        const target = types.get(field.type);
        if (sdlField.namedType !== field.type) report(where, `returns ${sdlField.namedType}, not ${field.type}`);
        if (!target || target.keys.length === 0) report(where, `referenced type ${field.type} has no @key in the schema`);
        else if (!(field.type in mapping.entities) && target.keys[0]!.length !== 1) report(where, `referenced type ${field.type} needs a single-field @key`);
        break;
      }
      case 'write': {
        const firstArg = (path: string) => path.split('.')[0]!;
        for (const placeholder of placeholdersOf(field.path)) if (!sdlField.args.has(firstArg(placeholder))) report(where, `path placeholder {${placeholder}} is not an argument of ${coordinate}`);
        const bodyPaths = field.body === undefined ? [] : typeof field.body === 'string' ? [field.body] : Object.values(field.body);
        for (const path of bodyPaths) if (!sdlField.args.has(firstArg(path))) report(where, `body reads "${path}", but ${coordinate} has no argument ${firstArg(path)}`);
        for (const [header, arg] of Object.entries(field.headers)) if (!sdlField.args.has(arg)) report(where, `header ${header} reads argument ${arg}, which ${coordinate} does not have`);
        if (typeName !== 'Mutation') report(where, `a ${field.method} endpoint belongs on a Mutation field (queries may be retried and cached)`);
        break;
      }
      case 'rename':
        break;
      default:
        field satisfies never;
    }
  }

  for (const [unionName, rule] of Object.entries(mapping.unions)) {
    const members = 'property' in rule ? Object.values(rule.values) : Object.keys(rule.required);
    for (const member of members) if (!types.has(member)) report(`unions.${unionName}`, `member ${member} is not an object type in the schema`);
  }
  for (const [enumName, values] of Object.entries(mapping.enums)) {
    const known = enums.get(enumName);
    if (!known) {
      report(`enums.${enumName}`, `enum ${enumName} is not in the schema`);
      continue;
    }
    for (const value of Object.keys(values)) if (!known.has(value)) report(`enums.${enumName}.${value}`, `${value} is not a value of enum ${enumName}`);
  }

  if (problems.length > 0) {
    throw new Error(`REST subgraph "${subgraph}": ${source} does not match the schema:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** `{name}` placeholders in an endpoint template. */
export function placeholdersOf(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
