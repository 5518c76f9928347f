@_exported import HubDoctorShared
