// Background jobs run through the API with the admin token, for specs whose setup needs a
// job's effect (reports stored, alerts opened).
import { adminToken, gql } from "./gql";

export interface JobRunAnswer {
  id: string;
  outcome: string;
  rows: number | null;
  error: string | null;
}

const RUN_FIELDS = "id outcome rows error";
const ENDED_WITHIN_MS = 60_000;
const POLL_MS = 500;

/** Runs the job ``name`` (runJob) and waits until the run has ended; returns it. */
export async function runJob(name: string): Promise<JobRunAnswer> {
  const { runJob: started } = await gql<{ runJob: JobRunAnswer }>(
    `mutation Run($name: String!) { runJob(input: { name: $name }) { ${RUN_FIELDS} } }`,
    { name },
    adminToken(),
  );
  let run = started;
  const deadline = Date.now() + ENDED_WITHIN_MS;
  // With a broker the run comes back queued: ask until a worker has ended it.
  while (run.outcome === "QUEUED" || run.outcome === "RUNNING") {
    if (Date.now() > deadline) throw new Error(`job ${name} did not end within ${ENDED_WITHIN_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const { jobs } = await gql<{ jobs: { name: string; recentRuns: JobRunAnswer[] }[] }>(
      `{ jobs { name recentRuns(limit: 10) { ${RUN_FIELDS} } } }`,
      {},
      adminToken(),
    );
    run = jobs.find((job) => job.name === name)?.recentRuns.find((r) => r.id === started.id) ?? run;
  }
  return run;
}
