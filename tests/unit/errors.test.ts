import { describe, expect, test, vi } from "vitest";

describe("AppError", () => {
  test("is recognised across copies of the module, subclasses by their own brand (Next.js bundles server code more than once)", async () => {
    const first = await import("../../lib/errors");
    const firstEconomy = await import("../../lib/economy/result");
    vi.resetModules();
    const second = await import("../../lib/errors");
    const secondEconomy = await import("../../lib/economy/result");
    expect(second.AppError).not.toBe(first.AppError);
    expect(secondEconomy.EconomyError).not.toBe(firstEconomy.EconomyError);

    const plain = new first.AppError("BUSY", "Try again in a moment.");
    const economy = new firstEconomy.EconomyError("UNKNOWN_PACKAGE", "Unknown coin package.");
    expect(plain).toBeInstanceOf(second.AppError);
    expect(economy).toBeInstanceOf(second.AppError);
    expect(economy).toBeInstanceOf(secondEconomy.EconomyError);
    expect(economy instanceof secondEconomy.EconomyError && economy.code).toBe("UNKNOWN_PACKAGE");
    // A plain AppError is not an EconomyError, nor is another domain's error.
    expect(plain).not.toBeInstanceOf(secondEconomy.EconomyError);
    class OtherError extends second.AppError {
      static override readonly brand = "OtherError";
    }
    expect(new OtherError("X", "x")).not.toBeInstanceOf(secondEconomy.EconomyError);
    expect(economy).not.toBeInstanceOf(OtherError);

    // Lookalikes and other values are not application errors.
    const lookalike = Object.assign(new Error("x"), { name: "AppError", code: "BUSY", fieldErrors: {} });
    expect(lookalike).not.toBeInstanceOf(second.AppError);
    expect(JSON.parse("null")).not.toBeInstanceOf(second.AppError);
    expect("AppError").not.toBeInstanceOf(second.AppError);
  });

  test("names itself after its class, keeps its code, field messages and cause", async () => {
    const { AppError } = await import("../../lib/errors");
    class FormError extends AppError<"INVALID"> {
      static override readonly brand = "FormError";
    }
    const cause = new Error("underlying");
    const error = new FormError("INVALID", "Check the name.", { name: "Check the name." }, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(AppError);
    expect(error.name).toBe("FormError");
    expect(error.code).toBe("INVALID");
    expect(error.message).toBe("Check the name.");
    expect(error.fieldErrors).toEqual({ name: "Check the name." });
    expect(error.cause).toBe(cause);
    expect(new AppError("X", "x").fieldErrors).toEqual({});
    expect(new AppError("X", "x").name).toBe("AppError");
  });

  test("a subclass that does not declare its brand matches nothing, so the omission cannot pass unnoticed", async () => {
    const { AppError } = await import("../../lib/errors");
    class Unbranded extends AppError {}
    expect(new Unbranded("X", "x")).not.toBeInstanceOf(Unbranded);
    expect(new Unbranded("X", "x")).toBeInstanceOf(AppError);
  });
});
