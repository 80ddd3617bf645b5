package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;

/** A destination credential read from this process's environment, where the client is built. */
final class WorkerEnv {
  private WorkerEnv() {}

  static String required(String variable, String store, String key) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          store
              + " destination: the environment variable "
              + variable
              + " (destination."
              + key
              + ") is not set in this process; set it on every machine that runs the export — the"
              + " launcher and each worker");
    }
    return value;
  }
}
