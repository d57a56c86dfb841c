package co.pqrs.lakehouse.pipelines.s3;

import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * S3 clients for S3-compatible servers (RustFS, S3Proxy, MinIO…): Beam's own client configuration
 * (region, endpoint, credentials) plus path-style addressing — a server reached by host name
 * (`http://rustfs:9000`) has no per-bucket DNS names — and without the
 * {@code x-amz-server-side-encryption-bucket-key-enabled: false} header Beam always sends, which some
 * servers reject. Selected with {@code --s3ClientFactoryClass} (the pqrs CLI does it when an endpoint
 * is set).
 */
public class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  static final String BUCKET_KEY_HEADER = "x-amz-server-side-encryption-bucket-key-enabled";

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder b = ClientBuilderFactory.getFactory(options).create(S3Client.builder(), options);
    return b.forcePathStyle(true)
        .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(new DropBucketKeyFalse()).build());
  }

  /** Removes the bucket-key header when it only says "false" (the default anyway). */
  static final class DropBucketKeyFalse implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      SdkHttpRequest r = context.httpRequest();
      return r.firstMatchingHeader(BUCKET_KEY_HEADER).filter("false"::equalsIgnoreCase).isPresent()
          ? r.toBuilder().removeHeader(BUCKET_KEY_HEADER).build() : r;
    }
  }
}
