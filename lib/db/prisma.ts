import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { connectionConfig, databaseUrl, poolSettings } from "./pool";

export function createPrisma(connectionString = databaseUrl()): PrismaClient {
  // The same timeouts and keepalive as the ledger's pool.
  return new PrismaClient({
    adapter: new PrismaPg({ ...connectionConfig(connectionString), query_timeout: poolSettings().queryTimeoutMs }),
    omit: { user: { passwordHash: true } },
  });
}

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** The process-wide Prisma client (password hashes omitted unless asked for). */
export function getPrisma(): PrismaClient {
  globalForPrisma.prisma ??= createPrisma();
  return globalForPrisma.prisma;
}
