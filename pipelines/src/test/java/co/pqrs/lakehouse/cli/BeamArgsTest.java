package co.pqrs.lakehouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.pipelines.ServingOptions;
import java.util.List;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.junit.jupiter.api.Test;

/**
 * The Beam arguments every pipeline command builds. The region matters even for a lake in a local
 * folder: without one, setting up Beam's S3 file system makes the AWS SDK wait on the instance
 * metadata service.
 */
class BeamArgsTest {

  @Test
  void aLocalRootStillGetsARegionSoTheSdkNeverLooksOneUp() {
    List<String> args = BeamArgs.base(List.of(), "DirectRunner", "/tmp/lake");
    String given = args.stream().filter(a -> a.startsWith("--awsRegion=")).findFirst()
        .orElseThrow(() -> new AssertionError("no --awsRegion in " + args))
        .substring("--awsRegion=".length());
    AwsOptions aws = BeamArgs.options(args, ServingOptions.class);
    assertNotNull(aws.getAwsRegion());
    assertEquals(given, aws.getAwsRegion().id());
  }

  @Test
  void aRegionTheUserGaveIsKeptForLocalAndS3Roots() {
    for (String root : List.of("/tmp/lake", "s3://bucket/lake")) {
      List<String> args = BeamArgs.base(List.of("--awsRegion=sa-east-1"), "FlinkRunner", root);
      assertEquals(List.of("--awsRegion=sa-east-1"),
          args.stream().filter(a -> a.startsWith("--awsRegion=")).toList(), root);
    }
  }

  @Test
  void theDirectRunnerSkipsItsElementChecksUnlessAsked() {
    List<String> args = BeamArgs.base(List.of("--enforceEncodability=true"), "DirectRunner", "/tmp/lake");
    assertTrue(args.contains("--enforceImmutability=false"), args::toString);
    assertTrue(args.contains("--enforceEncodability=true"), args::toString);
    assertFalse(args.contains("--enforceEncodability=false"), args::toString);
  }
}
