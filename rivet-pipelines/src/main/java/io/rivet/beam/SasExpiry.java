package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an Azure SAS token's {@code se=} expiry before any upload: expired fails, under an hour
 * left warns.
 */
final class SasExpiry {
  private static final Logger LOG = LoggerFactory.getLogger(SasExpiry.class);

  private SasExpiry() {}

  static void check(String sas, String export) {
    check(sas, export, Instant.now());
  }

  static void check(String sas, String export, Instant now) {
    for (String kv : sas.split("&", -1)) {
      if (kv.startsWith("se=")) {
        Instant expiry;
        try {
          expiry = Instant.parse(URLDecoder.decode(kv.substring(3), StandardCharsets.UTF_8));
        } catch (DateTimeParseException e) {
          throw new RivetException(
              ErrorCode.CONFIG_INVALID,
              "exports["
                  + export
                  + "].destination.sas_token_env: the SAS"
                  + " token's expiry (se=) cannot be read; generate a new token");
        }
        if (!expiry.isAfter(now)) {
          throw new RivetException(
              ErrorCode.CONFIG_INVALID,
              "exports["
                  + export
                  + "].destination.sas_token_env: the SAS"
                  + " token expired at "
                  + expiry
                  + "; generate a new token (nothing was written)");
        }
        if (Duration.between(now, expiry).toMinutes() < 60) {
          LOG.warn(
              "export '{}': the Azure SAS token expires at {}, in less than an hour",
              export,
              expiry);
        }
      }
    }
  }
}
