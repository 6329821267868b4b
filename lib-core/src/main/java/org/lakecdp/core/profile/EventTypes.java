package org.lakecdp.core.profile;

import java.util.List;

/**
 * Canonical event types the profile reads. Sources map their own event names onto these in
 * their declaration ({@code event-type.value}, {@code event-type.map}); other types count as
 * web or app activity when the event carries a cookie or a device id.
 */
final class EventTypes {
  private EventTypes() {}

  static final String PURCHASE = "purchase";
  static final String PAGE_VIEW = "page_view";
  static final String PRODUCT_VIEW = "product_view";
  static final String SCREEN_VIEW = "screen_view";
  static final String ADD_TO_CART = "add_to_cart";
  static final String EMAIL_SEND = "email_send";
  static final String EMAIL_OPEN = "email_open";
  static final String EMAIL_CLICK = "email_click";
  static final String EMAIL_UNSUBSCRIBE = "email_unsubscribe";
  static final String EMAIL_BOUNCE = "email_bounce";
  static final String SUPPORT_TICKET = "support_ticket";
  static final String CONSENT = "consent";
  static final String CUSTOMER_PROFILE = "customer_profile";

  /** Views counted as page views (web) or screen views (app). */
  static final List<String> VIEWS = List.of(PAGE_VIEW, PRODUCT_VIEW, SCREEN_VIEW);

  /** Types that are never web or app activity even when they carry a cookie or device. */
  static final List<String> NOT_DIGITAL = List.of(PURCHASE, EMAIL_SEND, EMAIL_OPEN,
      EMAIL_CLICK, EMAIL_UNSUBSCRIBE, EMAIL_BOUNCE, SUPPORT_TICKET, CONSENT, CUSTOMER_PROFILE);

  /** Email events done by the customer (sends and bounces are the company's). */
  static final List<String> EMAIL_ACTIVITY = List.of(EMAIL_OPEN, EMAIL_CLICK,
      EMAIL_UNSUBSCRIBE);
}
