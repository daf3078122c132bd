/** Checks shared by the commands that serve the console while simulated time runs (`--interactive`). */

/** What is wrong with a `--pace` value, or undefined. */
export function paceProblem(pace: number | undefined): string | undefined {
  if (pace === undefined || (Number.isFinite(pace) && pace >= 0.1 && pace <= 100_000)) return undefined;
  return '--pace must be a number of simulated seconds per real second, from 0.1 to 100000';
}

/** What is wrong with a `--port` value, or undefined. */
export function portProblem(port: number | undefined): string | undefined {
  if (port === undefined || (Number.isInteger(port) && port >= 0 && port <= 65_535)) return undefined;
  return '--port must be a port number from 0 to 65535 (0: any free port)';
}

/** Resolves on Ctrl-C (or a termination signal), the way people stop a server. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
