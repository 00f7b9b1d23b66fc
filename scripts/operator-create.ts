// npm run operator:create -- --email you@example.com --name "Your Name" --birth-date 1990-01-31
// Creates an operator account on the app's database (DATABASE_URL, or the
// embedded PostgreSQL npm start uses). The password comes from OPERATOR_PASSWORD,
// or one is generated and printed once.
import { randomBytes } from "node:crypto";
import { provideDatabase } from "../lib/db/provide";
import { setting } from "../lib/env";

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0) return process.argv[index + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main() {
  const email = flag("email");
  const displayName = flag("name");
  const birthDate = flag("birth-date");
  if (!email || !displayName || !birthDate) {
    console.error('Usage: npm run operator:create -- --email you@example.com --name "Your Name" --birth-date YYYY-MM-DD');
    process.exit(2);
  }
  const given = setting("OPERATOR_PASSWORD");
  const generated = given === undefined;
  const password = given ?? `${randomBytes(12).toString("base64url")}7a`;
  const db = await provideDatabase({ cluster: setting("EMBEDDED_CLUSTER"), database: setting("EMBEDDED_DATABASE"), migrate: true });
  process.env.DATABASE_URL = db.url;
  try {
    const { createOperator } = await import("../lib/auth/operators");
    const result = await createOperator({ email, displayName, birthDate, password });
    if (!result.ok) {
      console.error(`No operator created: ${result.message}`);
      process.exitCode = 1;
      return;
    }
    console.log(`Operator ${result.user.email} created.${generated ? ` Password (shown once): ${password}` : ""}`);
  } finally {
    const { getPrisma } = await import("../lib/db/prisma");
    await getPrisma().$disconnect();
    const { getPool } = await import("../lib/db/pool");
    await getPool().end();
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`operator:create failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
