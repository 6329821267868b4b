package org.lakecdp.core.sample;

import java.time.LocalDate;

/**
 * One real person behind the sample data: clean identity and the behaviour that drives their
 * records. History days are relative to the first day of history (negative = before it).
 *
 * @param index 0-based person number, also the key of every random stream of the person
 * @param personId ground-truth id, {@code P0000001}
 * @param female gender
 * @param firstName formal first name
 * @param lastName surname
 * @param email main email, unique among persons
 * @param altEmail a second email some persons use now and then, or null
 * @param mobile mobile number in national form, {@code 07700900123}
 * @param dateOfBirth date of birth
 * @param address home address, possibly shared with a household
 * @param crmId crm id when the person registered an account, else null
 * @param duplicateCrmId crm id of a second registration, else null
 * @param loyaltyCard loyalty card number, else null
 * @param signupDay day of first contact with the retailer
 * @param churnDay day the person stops buying, or {@link Integer#MAX_VALUE}
 * @param purchasesPerYear purchase rate while active
 * @param channel where the person shops
 * @param categories indexes into {@link Vocabulary#CATEGORIES} the person prefers
 * @param orderValueMu log of the person's typical item price in pounds
 * @param appUser whether the person uses the app
 * @param cookies number of browser cookies over the history (1-3)
 * @param devices number of app devices (1-2) when an app user
 * @param emailSubscriber whether the person subscribes to marketing email at signup
 * @param engagement 0..1, how likely the person opens marketing email
 * @param junk whether the person types generic junk contact data in some records
 */
record Person(int index, String personId, boolean female, String firstName, String lastName,
    String email, String altEmail, String mobile, LocalDate dateOfBirth, Address address,
    String crmId, String duplicateCrmId, String loyaltyCard, int signupDay, int churnDay,
    double purchasesPerYear, Channel channel, int[] categories, double orderValueMu,
    boolean appUser, int cookies, int devices, boolean emailSubscriber, double engagement,
    boolean junk) {

  /** Where a person buys. */
  enum Channel { ONLINE, OFFLINE, BOTH }

  /** The same person with their emails made unique among all persons. */
  Person withEmails(String newEmail, String newAltEmail) {
    return new Person(index, personId, female, firstName, lastName, newEmail, newAltEmail, mobile,
        dateOfBirth, address, crmId, duplicateCrmId, loyaltyCard, signupDay, churnDay,
        purchasesPerYear, channel, categories, orderValueMu, appUser, cookies, devices,
        emailSubscriber, engagement, junk);
  }

  boolean inCrm() {
    return crmId != null;
  }

  boolean churned(int day) {
    return day >= churnDay;
  }

  String fullName() {
    return firstName + " " + lastName;
  }
}
