//! Diesel table definitions, written to match `migrations/{sqlite,postgres}`.
//! Ids are UUID text, times are UTC `Timestamp`, enums are text: the portable
//! subset both backends share through `AnyConnection`.

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
    }
}

diesel::table! {
    staff_invitations (id) {
        id -> Text,
        user_id -> Text,
        relay_point_id -> Text,
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
    manager_digests (programme_id, iso_week) {
        programme_id -> Text,
        iso_week -> Text,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(relay_points -> programmes (programme_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(training_modules -> programmes (programme_id));
diesel::joinable!(training_completions -> training_modules (module_id));

diesel::allow_tables_to_appear_in_same_query!(
    programmes,
    relay_points,
    helplines,
    users,
    refresh_tokens,
    staff_invitations,
    training_modules,
    training_completions,
    training_reminders,
    relay_status_snapshots,
    manager_digests,
);
