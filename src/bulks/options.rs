//! The service a campaign uses, and the language of its voice calls.

crate::enums::named_enum! {
    /// How a campaign reaches its recipients (`service_code`).
    ///
    /// ```
    /// use lox24::ServiceCode;
    ///
    /// assert_eq!(ServiceCode::Text2speech.as_str(), "text2speech");
    /// assert_eq!("direct".parse::<ServiceCode>()?, ServiceCode::Direct);
    /// assert_eq!("fax".parse::<ServiceCode>().unwrap_err().field(), "service_code");
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    ServiceCode ("service_code") {
        /// `direct`: an SMS (LOX24's default).
        Direct = "direct",
        /// `text2speech`: a call that reads the text aloud.
        Text2speech = "text2speech",
        /// `text2speech_ssml`: a call that reads SSML markup aloud.
        Text2speechSsml = "text2speech_ssml",
    }
}

crate::enums::named_enum! {
    /// The language a voice call reads the text in (`voice_lang`); without
    /// one, LOX24 detects it.
    ///
    /// ```
    /// use lox24::VoiceLanguage;
    ///
    /// assert_eq!("DE".parse::<VoiceLanguage>()?, VoiceLanguage::De);
    /// assert_eq!(VoiceLanguage::Uk.to_string(), "UK");
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    VoiceLanguage ("voice_lang") {
        /// English.
        En = "EN",
        /// German.
        De = "DE",
        /// French.
        Fr = "FR",
        /// Italian.
        It = "IT",
        /// Spanish.
        Es = "ES",
        /// Polish.
        Pl = "PL",
        /// Dutch.
        Nl = "NL",
        /// Romanian.
        Ro = "RO",
        /// Portuguese.
        Pt = "PT",
        /// Czech.
        Cs = "CS",
        /// Hungarian.
        Hu = "HU",
        /// Swedish.
        Sv = "SV",
        /// Danish.
        Da = "DA",
        /// Finnish.
        Fi = "FI",
        /// Slovak.
        Sk = "SK",
        /// Croatian.
        Hr = "HR",
        /// Turkish.
        Tr = "TR",
        /// Russian.
        Ru = "RU",
        /// Bulgarian.
        Bg = "BG",
        /// Ukrainian.
        Uk = "UK",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits;

    #[test]
    fn the_values_are_the_specs() {
        assert_eq!(
            ServiceCode::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>(),
            limits::SERVICE_CODE_VALUES
        );
        assert_eq!(
            VoiceLanguage::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>(),
            limits::VOICE_LANGUAGE_VALUES
        );
    }
}
