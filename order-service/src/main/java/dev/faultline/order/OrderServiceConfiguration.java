package dev.faultline.order;

import dev.faultline.order.orders.UnsafeOrderSettings;
import dev.faultline.order.saga.SagaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SagaProperties.class, UnsafeOrderSettings.class})
class OrderServiceConfiguration {}
