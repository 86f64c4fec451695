//! Diesel table definitions, written to match `migrations/{sqlite,postgres}`.
//! Ids are UUID text, times are UTC `Timestamp`, enums are text: the portable
//! subset both backends share through `AnyConnection`.

diesel::table! {
    console_sessions (id) {
        id -> Text,
        user_id -> Text,
        csrf_token -> Text,
        language -> Text,
        token_version -> Integer,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    console_enrolments (id) {
        id -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    programmes (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        country -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    relay_points (id) {
        id -> Text,
        programme_id -> Text,
        external_id -> Nullable<Text>,
        kind -> Text,
        name -> Text,
        address -> Text,
        postcode -> Text,
        municipality -> Text,
        region -> Text,
        languages -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    helplines (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        public_phone -> Text,
        languages -> Text,
        time_zone -> Text,
        active -> Bool,
        created_at -> Timestamp,
        kind -> Text,
        weekly_hours -> Text,
        exceptions -> Text,
        intake_email -> Nullable<Text>,
        webhook_url -> Nullable<Text>,
        webhook_secret -> Nullable<Text>,
        open_on_public_holidays -> Bool,
        webhook_secret_key_id -> Nullable<Text>,
        webhook_secret_wrapped_key -> Nullable<Binary>,
        webhook_secret_ciphertext -> Nullable<Binary>,
        channels_changed_at -> Nullable<Timestamp>,
        channels_confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    helpline_notices (id) {
        id -> Text,
        helpline_id -> Text,
        recipient -> Text,
        language -> Text,
        changed -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        programme_id -> Nullable<Text>,
        relay_point_id -> Nullable<Text>,
        helpline_id -> Nullable<Text>,
        language -> Text,
        active -> Bool,
        created_at -> Timestamp,
        deactivated_at -> Nullable<Timestamp>,
        totp_key_id -> Nullable<Text>,
        totp_wrapped_key -> Nullable<Binary>,
        totp_secret -> Nullable<Binary>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
        token_version -> Integer,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        family_expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    routing_rules (id) {
        id -> Text,
        priority -> Integer,
        region -> Nullable<Text>,
        postcode_from -> Nullable<Integer>,
        postcode_to -> Nullable<Integer>,
        language -> Nullable<Text>,
        helpline_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    signals (id) {
        id -> Text,
        reference -> Text,
        relay_point_id -> Text,
        submitted_by -> Text,
        helpline_id -> Text,
        urgency -> Text,
        priority -> Integer,
        language -> Text,
        status -> Text,
        region -> Text,
        relay_kind -> Text,
        relay_training_status -> Text,
        expected_callback_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        forwarded_at -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
        claim_activity_at -> Nullable<Timestamp>,
        first_attempt_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        escalated_at -> Nullable<Timestamp>,
        expiry_warned_at -> Nullable<Timestamp>,
        minimised -> Bool,
        minutes_to_first_attempt -> Nullable<Integer>,
        minutes_to_close -> Nullable<Integer>,
    }
}

diesel::table! {
    signal_contacts (signal_id) {
        signal_id -> Text,
        key_id -> Text,
        wrapped_key -> Binary,
        ciphertext -> Binary,
        created_at -> Timestamp,
        call_windows -> Nullable<Text>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        signal_id -> Text,
        helpline_id -> Text,
        channel -> Text,
        event -> Text,
        priority -> Integer,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    fingerprint_keys (id) {
        id -> Text,
        key_id -> Text,
        wrapped_key -> Binary,
        ciphertext -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (user_id, idem_key) {
        user_id -> Text,
        idem_key -> Text,
        request_mac -> Text,
        status_code -> Integer,
        response_body -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    resources (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        regions -> Text,
        languages -> Text,
        phone -> Nullable<Text>,
        website -> Nullable<Text>,
        opening_hours -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    call_attempts (id) {
        id -> Text,
        signal_id -> Text,
        operator_id -> Text,
        result -> Text,
        next_attempt_at -> Nullable<Timestamp>,
        outside_safe_windows -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    delivery_attempts (id) {
        id -> Text,
        outbox_id -> Text,
        attempted_at -> Timestamp,
        outcome -> Text,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        signal_id -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    staff_invitations (id) {
        id -> Text,
        user_id -> Text,
        relay_point_id -> Nullable<Text>,
        token_hash -> Text,
        invited_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    training_modules (id) {
        id -> Text,
        programme_id -> Text,
        title -> Text,
        kind -> Text,
        validity_months -> Integer,
        required -> Bool,
        created_at -> Timestamp,
        retired_on -> Nullable<Date>,
    }
}

diesel::table! {
    training_completions (id) {
        id -> Text,
        user_id -> Text,
        module_id -> Text,
        completed_on -> Date,
        expires_on -> Date,
        recorded_by -> Nullable<Text>,
        certificate_ref -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    training_reminders (user_id, module_id, expires_on) {
        user_id -> Text,
        module_id -> Text,
        expires_on -> Date,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    relay_status_snapshots (relay_point_id) {
        relay_point_id -> Text,
        status -> Text,
        recorded_on -> Date,
    }
}

diesel::table! {
    coverage_snapshots (programme_id, day, region, training_status) {
        day -> Date,
        programme_id -> Text,
        region -> Text,
        training_status -> Text,
        relay_points -> Integer,
    }
}

diesel::table! {
    training_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    network_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    signal_month_facts (programme_id, month) {
        programme_id -> Text,
        month -> Text,
        facts -> Text,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    manager_digests (programme_id, iso_week) {
        programme_id -> Text,
        iso_week -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    login_throttle (throttle_key) {
        throttle_key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
        lock_notified_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    signal_rollups (id) {
        id -> Text,
        month -> Text,
        programme_id -> Text,
        region -> Text,
        relay_kind -> Text,
        helpline_id -> Text,
        urgency -> Text,
        outcome -> Text,
        language -> Text,
        relay_training_status -> Text,
        signals -> Integer,
        first_attempt_minutes -> Text,
        close_minutes -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(relay_points -> programmes (programme_id));
diesel::joinable!(coverage_snapshots -> programmes (programme_id));
diesel::joinable!(signal_month_facts -> programmes (programme_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(signals -> helplines (helpline_id));
diesel::joinable!(signals -> relay_points (relay_point_id));
diesel::joinable!(signal_contacts -> signals (signal_id));
diesel::table! {
    account_mail (id) {
        id -> Text,
        kind -> Text,
        user_id -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    staff_alerts (id) {
        id -> Text,
        kind -> Text,
        recipient -> Text,
        language -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(outbox -> signals (signal_id));
diesel::joinable!(routing_rules -> helplines (helpline_id));
diesel::joinable!(helpline_notices -> helplines (helpline_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(console_sessions -> users (user_id));
diesel::joinable!(console_enrolments -> users (user_id));
diesel::joinable!(training_modules -> programmes (programme_id));
diesel::joinable!(training_completions -> training_modules (module_id));

diesel::table! {
    push_subscriptions (id) {
        id -> Text,
        user_id -> Text,
        relay_point_id -> Text,
        endpoint -> Text,
        p256dh -> Text,
        auth -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    push_messages (id) {
        id -> Text,
        subscription_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    push_keys (id) {
        id -> Text,
        key_id -> Text,
        wrapped_key -> Binary,
        ciphertext -> Binary,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    console_sessions,
    console_enrolments,
    login_throttle,
    password_resets,
    recovery_codes,
    programmes,
    relay_points,
    helplines,
    helpline_notices,
    users,
    refresh_tokens,
    routing_rules,
    signals,
    signal_contacts,
    outbox,
    idempotency_keys,
    fingerprint_keys,
    resources,
    call_attempts,
    delivery_attempts,
    audit_log,
    staff_invitations,
    account_mail,
    staff_alerts,
    push_subscriptions,
    push_messages,
    push_keys,
    training_modules,
    training_completions,
    training_reminders,
    relay_status_snapshots,
    coverage_snapshots,
    manager_digests,
    signal_month_facts,
    network_version,
    training_version,
    signal_rollups,
);
