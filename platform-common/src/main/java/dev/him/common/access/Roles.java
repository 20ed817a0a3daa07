package dev.him.common.access;

/** Realm roles of the "him" Keycloak realm; see deploy/keycloak/him-realm.json. */
public final class Roles {
  public static final String CLERK = "him-clerk";
  public static final String CODER = "coder";
  public static final String ROI = "roi-specialist";
  public static final String PRIVACY = "privacy-officer";
  public static final String CLINICIAN = "clinician";
  public static final String ADMIN = "him-admin";

  /** External hospital systems (EHR, billing) on client credentials. */
  public static final String HOSPITAL_SYSTEM = "hospital-system";

  /** Platform services calling each other on client credentials. */
  public static final String PLATFORM_SERVICE = "platform-service";

  private Roles() {}
}
