import { describe, expect, test } from "vitest";
import { startPeriodic } from "../../../lib/jobs/periodic";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startPeriodic", () => {
  test("runs one at a time, keeps going after a failure, says so once and says when it recovers", async () => {
    const messages: string[] = [];
    let calls = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const job = startPeriodic(
      "Test job",
      async () => {
        calls++;
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await sleep(2);
        concurrent--;
        if (calls >= 2 && calls <= 4) throw new Error("database unavailable");
        return 10;
      },
      { intervalMs: 1, log: (m) => messages.push(m) },
    );
    await job.runNow(); // overlaps the timer's runs: still one at a time
    while (calls < 7) await sleep(5);
    await job.stop();
    const after = calls;
    await sleep(20);

    expect(calls).toBe(after); // stopped
    expect(maxConcurrent).toBe(1);
    expect(job.handled).toBe(10 * (calls - 3));
    expect(messages).toEqual(["Test job: failed, will retry: Error: database unavailable", "Test job: running again."]);
  });
});
