/**
 * Table names of an ODCS v3.x document: each schema object's `physicalName`, or its `name` when it
 * has none (ODCS v3.1.0 "Schema": `name` is the logical name, `physicalName` the name in the
 * platform). Entries that are not objects or have neither name are skipped; duplicates are listed
 * once, in document order.
 */
export function contractTables(document: Record<string, unknown>): string[] {
  const schema = document.schema;
  if (!Array.isArray(schema)) return [];
  const tables: string[] = [];
  for (const object of schema) {
    const name = tableName(object);
    if (name && !tables.includes(name)) tables.push(name);
  }
  return tables;
}

function tableName(object: unknown): string | null {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return null;
  const { physicalName, name } = object as Record<string, unknown>;
  if (typeof physicalName === 'string' && physicalName.trim() !== '') return physicalName;
  if (typeof name === 'string' && name.trim() !== '') return name;
  return null;
}
