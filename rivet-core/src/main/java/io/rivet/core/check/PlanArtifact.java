package io.rivet.core.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A sealed plan (reference §7.7): one export's resolved plan — SQL, window, chunk ranges, written
 * schema, destination — as {@code rivet plan} made it, for {@code rivet apply} to replay without
 * planning again. {@code integrity} is the SHA-256 of the resolved plan's exact JSON, which holds
 * no credential (the connection is not part of it); {@code plan_fingerprint} is the config's plan
 * hash, which apply compares with the config as it is then.
 */
public record PlanArtifact(
    String rivetVersion,
    String planId,
    String createdAt,
    String expiresAt,
    String exportName,
    String strategy,
    String planFingerprint,
    String integrity,
    JsonNode resolvedPlan,
    Computed computed,
    Diagnostics diagnostics,
    Prioritization prioritization,
    String configPath) {

  /** How long a plan is good for. */
  public static final Duration LIFETIME = Duration.ofHours(24);

  /** What planning computed: chunk ranges, the incremental cursor it starts from, rows. */
  public record Computed(
      List<List<String>> chunkRanges, int chunkCount, String cursorSnapshot, Long rowEstimate) {}

  /** {@code rivet check}'s verdict at planning. */
  public record Diagnostics(
      String verdict,
      List<CheckReport.Warning> warnings,
      String recommendedProfile,
      String strategyRationale) {}

  /** Where {@code rivet apply rivet.yaml} would schedule the export. */
  public record Prioritization(int wave, boolean parallelSafe, String costClass) {}

  /** Seals a plan made now. */
  public static PlanArtifact seal(
      String version,
      ExportPlan plan,
      String cursorSnapshot,
      CheckReport check,
      Prioritization prioritization,
      String configPath,
      Instant now) {
    JsonNode resolved = Json.MAPPER.valueToTree(plan.withConnection(null));
    List<List<String>> ranges = plan.chunks().stream().map(PlanArtifact::range).toList();
    CheckReport.Diagnostic d = check.diagnostic();
    return new PlanArtifact(
        version,
        "plan_" + plan.runId(),
        now.toString(),
        now.plus(LIFETIME).toString(),
        plan.exportName(),
        d.strategy(),
        plan.planHash(),
        integrityOf(resolved),
        resolved,
        new Computed(ranges, plan.chunks().size(), cursorSnapshot, d.rowEstimate()),
        new Diagnostics(
            d.verdict(),
            d.warnings(),
            plan.tuning().profile() == null
                ? null
                : plan.tuning().profile().name().toLowerCase(Locale.ROOT),
            d.mode() + (d.strategy() == null ? "" : "/" + d.strategy())),
        prioritization,
        configPath);
  }

  private static List<String> range(ChunkSpec c) {
    return switch (c.kind()) {
      case KEYSET -> Arrays.asList(c.keyFrom(), c.keyTo());
      case NULL_KEYS -> Arrays.asList((String) null, (String) null);
      default -> List.of(Long.toString(c.lo()), Long.toString(c.hi()));
    };
  }

  /** {@code sha256:<hex>} of a resolved plan's exact JSON. */
  public static String integrityOf(JsonNode resolvedPlan) {
    try {
      byte[] bytes = Json.MAPPER.writeValueAsBytes(resolvedPlan);
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The plan to replay, once its integrity is checked. */
  public ExportPlan plan() {
    if (integrity == null) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "the plan artifact has no integrity field; make a new one with 'rivet plan'");
    }
    if (!integrity.equals(integrityOf(resolvedPlan))) {
      throw new RivetException(
          ErrorCode.DATA_INTEGRITY,
          "the plan artifact of export '"
              + exportName
              + "' was changed after it was sealed (its integrity "
              + integrity
              + " does not match its plan); make a new one with 'rivet plan'");
    }
    try {
      return Json.MAPPER.treeToValue(resolvedPlan, ExportPlan.class);
    } catch (JsonProcessingException e) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "the plan artifact's plan cannot be read: " + e.getMessage(),
          e);
    }
  }

  /** How old the artifact is. */
  public Duration age(Instant now) {
    return Duration.between(Instant.parse(createdAt), now);
  }

  public String toJson() {
    try {
      return Json.DOCUMENTS.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static PlanArtifact parse(byte[] json) {
    try {
      return Json.DOCUMENTS.readValue(json, PlanArtifact.class);
    } catch (IOException e) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "not a plan artifact ("
              + e.getMessage()
              + "); make one with 'rivet plan -c <config> -o <file>'");
    }
  }
}
