package dev.faultline.payment;

import dev.faultline.lock.client.StorageFence;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans from libraries that are not Spring-aware themselves. */
@Configuration(proxyBeanMethods = false)
class PaymentServiceConfiguration {

  /** Checks lease tokens in the balance UPDATEs; counts refusals in the contract's metric. */
  @Bean
  StorageFence storageFence(MeterRegistry meters) {
    return new StorageFence(meters);
  }
}
