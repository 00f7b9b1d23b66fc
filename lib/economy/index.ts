/**
 * Pure coin-economy library: exact money arithmetic (bigint minor units, rational rates),
 * coin packages and pricing, coins → diamonds → cash conversion and withdrawal quotes.
 * No I/O, no clocks, no floating point on money.
 */
export * from "./money";
export * from "./result";
export * from "./packages";
export * from "./conversion";
export * from "./limits";
export * from "./promotions";
export * from "./gifts";
export * from "./operator";
export * from "./fraud";
export * from "./match";
export * from "./treasure";
export * from "./levels";
export * from "./fans";
