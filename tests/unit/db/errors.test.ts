import { describe, expect, test } from "vitest";
import { DatabaseBusyError, isTransientDatabaseError } from "../../../lib/db/errors";

const withFields = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe("isTransientDatabaseError", () => {
  test.each([
    ["a restart (admin shutdown)", withFields("terminating connection due to administrator command", { code: "57P01" })],
    ["a lock timeout", withFields("canceling statement due to lock timeout", { code: "55P03" })],
    ["a statement timeout", withFields("canceling statement due to statement timeout", { code: "57014" })],
    ["a refused connection", withFields("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED" })],
    ["a connection ended", new Error("Connection terminated unexpectedly")],
    ["a server that stopped answering", new Error("Query read timeout")],
    ["the ledger's queue", new DatabaseBusyError("busy")],
    // Prisma with the pg adapter: its own codes, or the driver's error as the cause.
    ["Prisma: database not reachable", withFields("Can't reach database server", { code: "P1001" })],
    ["Prisma: connection closed", withFields("Server has closed the connection.", { code: "P1017" })],
    ["Prisma: too many connections", withFields("Too many connections", { code: "P2037" })],
    [
      "Prisma: a postgres error as cause",
      withFields("the database system is shutting down", { name: "DriverAdapterError", cause: { kind: "postgres", code: "57P03" } }),
    ],
    ["Prisma: a driver error in meta", withFields("x", { code: "P2010", meta: { driverAdapterError: { cause: { kind: "ConnectionClosed" } } } })],
  ])("%s is transient", (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  test.each([
    ["a unique violation", withFields("duplicate key", { code: "23505" })],
    ["a check violation", withFields("violates check", { code: "23514" })],
    ["Prisma: unique", withFields("Unique constraint failed", { code: "P2002" })],
    ["Prisma: a postgres syntax error as cause", withFields("syntax", { name: "DriverAdapterError", cause: { kind: "postgres", code: "42601" } })],
    ["a plain bug", new TypeError("x is undefined")],
    ["not an error", "57P01"],
  ])("%s is not", (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});

describe("describeDatabaseError", () => {
  test("is one line with the codes", async () => {
    const { describeDatabaseError } = await import("../../../lib/db/errors");
    const prisma = withFields("\nInvalid `prisma.user.findUnique()` invocation:\n\nDatabase error. Code: `57P01`.", {
      code: "P2039",
      meta: { driverAdapterError: { cause: { kind: "postgres", code: "57P01" } } },
    });
    expect(describeDatabaseError(prisma)).toBe("Invalid `prisma.user.findUnique()` invocation: Database error. Code: `57P01`. (P2039, 57P01)");
    expect(describeDatabaseError(withFields("lock timeout", { code: "55P03" }))).toBe("lock timeout (55P03)");
  });
});
