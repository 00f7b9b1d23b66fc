// A small reader of prisma/schema.prisma: enough of the language to say which
// tables, columns, enums, indexes and foreign keys PostgreSQL should have. Used
// by schema.test.ts because Prisma's own diff engine cannot be downloaded here.
import { readFileSync } from "node:fs";

export interface ExpectedColumn {
  name: string;
  dataType: string;
  nullable: boolean;
}

export interface ExpectedSchema {
  enums: Map<string, string[]>;
  tables: Map<string, ExpectedColumn[]>;
  indexes: Set<string>;
  foreignKeys: Set<string>;
}

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
};

const NATIVE_TYPES: Record<string, string> = {
  Uuid: "uuid",
  Date: "date",
  "Timestamptz(6)": "timestamp(6) with time zone",
  Text: "text",
};

function blocks(source: string, keyword: string): Array<{ name: string; body: string[] }> {
  const found: Array<{ name: string; body: string[] }> = [];
  const pattern = new RegExp(`^${keyword}\\s+(\\w+)\\s*\\{([\\s\\S]*?)^\\}`, "gm");
  for (const match of source.matchAll(pattern)) {
    const body = match[2]!
      .split("\n")
      .map((line) => line.replace(/\/\/.*$/, "").trim())
      .filter(Boolean);
    found.push({ name: match[1]!, body });
  }
  return found;
}

const columnsOf = (list: string, columnName: Map<string, string>) => list.split(",").map((field) => columnName.get(field.trim()) ?? field.trim());

export function readPrismaSchema(path = "prisma/schema.prisma"): ExpectedSchema {
  const source = readFileSync(path, "utf8");
  const enums = new Map(blocks(source, "enum").map((e) => [e.name, e.body]));
  const models = blocks(source, "model");
  const tableOf = new Map(models.map((m) => [m.name, m.body.find((l) => l.startsWith("@@map("))?.match(/"(.+)"/)?.[1] ?? m.name]));
  const schema: ExpectedSchema = { enums, tables: new Map(), indexes: new Set(), foreignKeys: new Set() };
  // Partial indexes Prisma cannot declare are named in a doc comment: `/// sql-index: <name>`.
  for (const match of source.matchAll(/^\s*\/\/\/\s*sql-index:\s*(\S+)/gm)) schema.indexes.add(match[1]!);

  for (const model of models) {
    const table = tableOf.get(model.name)!;
    const columns: ExpectedColumn[] = [];
    const columnName = new Map<string, string>();
    const fieldLines = model.body.filter((line) => !line.startsWith("@@") && !line.startsWith("///"));
    for (const line of fieldLines) {
      const field = line.split(/\s+/)[0]!;
      columnName.set(field, line.match(/@map\("(.+?)"\)/)?.[1] ?? field);
    }
    for (const line of fieldLines) {
      const [field, rawType] = line.split(/\s+/) as [string, string];
      const type = rawType.replace(/[?[\]]/g, "");
      const column = columnName.get(field)!;
      const relation = line.match(/@relation\((?:"[^"]*",\s*)?fields:\s*\[([^\]]+)\]/);
      if (relation) {
        schema.foreignKeys.add(`${table}_${columnsOf(relation[1]!, columnName).join("_")}_fkey`);
        continue;
      }
      if (rawType.endsWith("[]") && SCALAR_TYPES[type]) {
        // A scalar list: an array column (NOT NULL in our migrations).
        columns.push({ name: column, dataType: `${SCALAR_TYPES[type]}[]`, nullable: false });
        continue;
      }
      if (rawType.endsWith("[]") || tableOf.has(type)) continue; // the other side of a relation
      const native = line.match(/@db\.(\w+(?:\(\d+\))?)/)?.[1];
      const dataType = native ? NATIVE_TYPES[native]! : enums.has(type) ? `enum ${type}` : SCALAR_TYPES[type]!;
      columns.push({ name: column, dataType, nullable: rawType.endsWith("?") });
      if (/@id\b/.test(line)) schema.indexes.add(`${table}_pkey`);
      if (/@unique\b/.test(line)) schema.indexes.add(`${table}_${column}_key`);
    }
    for (const line of model.body.filter((l) => l.startsWith("@@"))) {
      const list = line.match(/\[([^\]]+)\]/)?.[1];
      if (!list) continue;
      const cols = columnsOf(list, columnName).join("_");
      if (line.startsWith("@@unique")) schema.indexes.add(`${table}_${cols}_key`);
      if (line.startsWith("@@index")) schema.indexes.add(`${table}_${cols}_idx`);
      if (line.startsWith("@@id")) schema.indexes.add(`${table}_pkey`);
    }
    schema.tables.set(
      table,
      columns.sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
  return schema;
}
