// An unexpected console.error fails the test that caused it. A test that expects
// errors to be logged takes them with takeConsoleErrors() and asserts on them.
import { afterEach, vi } from "vitest";

const errors: unknown[][] = [];
vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
  errors.push(args);
});

/** The console.error lines logged so far in this test (they no longer fail it). */
export function takeConsoleErrors(): string[] {
  return errors.splice(0).map((args) => args.map(String).join(" "));
}

afterEach(() => {
  if (errors.length) {
    const printed = takeConsoleErrors().join("\n");
    throw new Error(`console.error was called:\n${printed}`);
  }
});
