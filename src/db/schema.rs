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

diesel::joinable!(relay_points -> programmes (programme_id));
diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(programmes, relay_points, helplines, users, refresh_tokens);
