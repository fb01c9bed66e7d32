/** In-app notifications to teachers: sent by modules, read on the teacher's notifications page. */
@org.springframework.modulith.NamedInterface("notification")
package org.peiyu.platform.notification;
