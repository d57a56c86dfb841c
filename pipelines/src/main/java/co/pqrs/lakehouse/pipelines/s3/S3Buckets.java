package co.pqrs.lakehouse.pipelines.s3;

import java.net.URI;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.InstanceBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** Creates the bucket of an {@code s3://} lakehouse root when asked: Beam never creates buckets. */
public final class S3Buckets {
  private static final Logger LOG = LoggerFactory.getLogger(S3Buckets.class);

  private S3Buckets() {}

  public static String bucketOf(String root) {
    URI u = URI.create(root);
    if (!"s3".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException("not an s3://bucket/prefix root: " + root);
    }
    return u.getHost();
  }

  /** Creates the bucket of {@code root} unless it exists, with the client the pipeline would use. */
  public static void ensure(PipelineOptions options, String root) {
    S3Options o = options.as(S3Options.class);
    String bucket = bucketOf(root);
    try (S3Client s3 = InstanceBuilder.ofType(org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory.class)
        .fromClass(o.getS3ClientFactoryClass()).build().createBuilder(o).build()) {
      try {
        s3.headBucket(b -> b.bucket(bucket));
        return;
      } catch (NoSuchBucketException e) {
        // create it below
      }
      try {
        s3.createBucket(b -> b.bucket(bucket));
        LOG.info("created bucket {}", bucket);
      } catch (BucketAlreadyOwnedByYouException e) {
        // created meanwhile by another run: fine
      }
    }
  }
}
